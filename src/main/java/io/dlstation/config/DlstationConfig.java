package io.dlstation.config;

/**
 * The whole of dlstation.yaml, read into immutable records. Flags on the command line override it.
 *
 * @param engine which libtorch and device to use
 * @param monitor sampling interval, alert rules and notifiers of {@code dlstation monitor}
 * @param maintenance retention and backup tasks and their schedules
 */
public record DlstationConfig(EngineConfig engine, MonitorConfig monitor, MaintenanceConfig maintenance) {

    public DlstationConfig {
        engine = engine == null ? EngineConfig.empty() : engine;
        monitor = monitor == null ? MonitorConfig.defaults() : monitor;
        maintenance = maintenance == null ? MaintenanceConfig.empty() : maintenance;
    }

    /** The configuration when there is no file. */
    public static DlstationConfig defaults() {
        return new DlstationConfig(null, null, null);
    }
}
