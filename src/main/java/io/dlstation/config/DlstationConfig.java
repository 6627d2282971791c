package io.dlstation.config;

/**
 * The whole of dlstation.yaml, read into immutable records. Flags on the command line override it.
 *
 * @param engine which libtorch and device to use
 * @param monitor sampling interval, alert rules and notifiers of {@code dlstation monitor}
 * @param maintenance retention and backup tasks and their schedules
 * @param serve address, limits and drain of {@code dlstation serve}
 */
public record DlstationConfig(EngineConfig engine, MonitorConfig monitor, MaintenanceConfig maintenance,
        ServeConfig serve) {

    public DlstationConfig {
        engine = engine == null ? EngineConfig.empty() : engine;
        monitor = monitor == null ? MonitorConfig.defaults() : monitor;
        maintenance = maintenance == null ? MaintenanceConfig.empty() : maintenance;
        serve = serve == null ? ServeConfig.defaults() : serve;
    }

    /** The configuration without a serve section (as before serving had one). */
    public DlstationConfig(EngineConfig engine, MonitorConfig monitor, MaintenanceConfig maintenance) {
        this(engine, monitor, maintenance, null);
    }

    /** The configuration when there is no file. */
    public static DlstationConfig defaults() {
        return new DlstationConfig(null, null, null, null);
    }
}
