package io.dlstation.config;

/**
 * The whole of dlstation.yaml, read into immutable records. Flags on the command line override it.
 *
 * @param engine which libtorch and device to use
 */
public record DlstationConfig(EngineConfig engine) {

    public DlstationConfig {
        engine = engine == null ? EngineConfig.empty() : engine;
    }

    /** The configuration when there is no file. */
    public static DlstationConfig defaults() {
        return new DlstationConfig(EngineConfig.empty());
    }
}
