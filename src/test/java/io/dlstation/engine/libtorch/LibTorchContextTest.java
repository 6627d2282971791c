package io.dlstation.engine.libtorch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each binding against the CPU libtorch the engine loaded. */
class LibTorchContextTest {
    private static LibTorchContext context;

    @BeforeAll
    static void startEngine() {
        Engine.getEngine("PyTorch");
        context = LibTorchContext.bind(Path.of(LibUtils.getLibtorchPath()));
    }

    @Test
    void theEngineWentThroughTheSafeProviderAndItsChoiceIsInForce() {
        CpuKernels.Choice choice = CpuKernels.current();
        assertThat(choice).as("the engine started without the CPU kernel choice").isNotNull();
        assertThat(context.oneDnnEnabled()).isEqualTo(choice.oneDnn());
        assertThat(context.nnpackEnabled()).isEqualTo(choice.nnpack());
    }

    @Test
    void theOneDnnSwitchReadsBackWhatWasSet() {
        boolean before = context.oneDnnEnabled();
        try {
            context.setOneDnnEnabled(!before);
            assertThat(context.oneDnnEnabled()).isEqualTo(!before);
            context.setOneDnnEnabled(before);
            assertThat(context.oneDnnEnabled()).isEqualTo(before);
        } finally {
            context.setOneDnnEnabled(before);
        }
    }

    @Test
    void theNnpackSwitchReadsBackWhatWasSet() {
        boolean before = context.nnpackEnabled();
        try {
            context.setNnpackEnabled(!before);
            assertThat(context.nnpackEnabled()).isEqualTo(!before);
        } finally {
            context.setNnpackEnabled(before);
        }
        assertThat(context.nnpackEnabled()).isEqualTo(before);
    }

    @Test
    void theTf32SwitchesReadBackWhatWasSet() {
        boolean matmul = context.tf32MatmulAllowed();
        boolean convolution = context.tf32ConvolutionAllowed();
        try {
            context.setTf32MatmulAllowed(!matmul);
            context.setTf32ConvolutionAllowed(!convolution);
            assertThat(context.tf32MatmulAllowed()).isEqualTo(!matmul);
            assertThat(context.tf32ConvolutionAllowed()).isEqualTo(!convolution);
        } finally {
            context.setTf32MatmulAllowed(matmul);
            context.setTf32ConvolutionAllowed(convolution);
        }
        assertThat(context.tf32MatmulAllowed()).isEqualTo(matmul);
        assertThat(context.tf32ConvolutionAllowed()).isEqualTo(convolution);
    }

    @Test
    void theCudnnBenchmarkSwitchReadsBackWhatWasSet() {
        boolean before = context.cudnnBenchmark();
        try {
            context.setCudnnBenchmark(!before);
            assertThat(context.cudnnBenchmark()).isEqualTo(!before);
        } finally {
            context.setCudnnBenchmark(before);
        }
        assertThat(context.cudnnBenchmark()).isEqualTo(before);
    }

    @Test
    void theBindingIsOnTheLibraryTheEngineLoaded() {
        assertThat(context.library()).startsWith(LibUtils.getLibtorchPath()).endsWith("libtorch_cpu.so");
    }
}
