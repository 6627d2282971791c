package io.dlstation;

import io.dlstation.cli.Cli;
import io.dlstation.engine.EngineBootstrap;

/** The {@code dlstation} entry point. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // Before any DJL class loads: DJL queries the EC2 metadata address and posts telemetry otherwise.
        EngineBootstrap.optOutOfTracking();
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // DJL probes libcudart on its own and warns when the machine has none; info reports GPUs via NVML.
        System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        System.exit(Cli.execute(args));
    }
}
