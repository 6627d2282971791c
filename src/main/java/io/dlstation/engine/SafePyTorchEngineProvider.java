package io.dlstation.engine;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineProvider;
import ai.djl.pytorch.engine.PtEngineProvider;
import ai.djl.pytorch.jni.LibUtils;
import io.dlstation.engine.libtorch.CpuKernels;
import java.nio.file.Path;

/**
 * DJL's PyTorch engine, with libtorch's CPU kernels made safe for this processor before anyone gets the
 * engine ({@link CpuKernels}).
 *
 * <p>Design: DJL finds engines through {@link java.util.ServiceLoader} and keeps the first provider of
 * each name; this one is registered in {@code META-INF/services} ahead of DJL's own, so every path to
 * the engine (the CLI, the tests, a library user's {@code NDManager.newBaseManager()}) goes through it.
 * Where a class path puts DJL's jar first, {@link EngineBootstrap} applies the same choice itself.
 */
public final class SafePyTorchEngineProvider implements EngineProvider {
    private final PtEngineProvider delegate = new PtEngineProvider();

    @Override
    public String getEngineName() {
        return delegate.getEngineName();
    }

    @Override
    public int getEngineRank() {
        return delegate.getEngineRank();
    }

    @Override
    public Engine getEngine() {
        Engine engine = delegate.getEngine();
        CpuKernels.secure(Path.of(LibUtils.getLibtorchPath()));
        return engine;
    }
}
