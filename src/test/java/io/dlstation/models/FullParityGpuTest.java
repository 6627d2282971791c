package io.dlstation.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import io.dlstation.engine.GpuTestEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * torchvision's resnet50 and Hugging Face's bert-base, randomly initialised by PyTorch on this host
 * (python3 with torch, torchvision, transformers and safetensors), loaded into the Java models and
 * compared in eval mode, fp32: on the CPU (the acceptance check, below 1e-3) and on the GPU (printed;
 * cuDNN convolutions use TF32 by default in libtorch and DJL exposes no switch for it).
 */
@Tag("gpu")
class FullParityGpuTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void exportFromPyTorch() throws IOException, InterruptedException {
        GpuTestEngine.start();
        Path script = dir.resolve("make_parity.py");
        try (InputStream in = FullParityGpuTest.class.getResourceAsStream("/parity/make_parity.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder("python3", script.toString(), "--full", "--out", dir.toString()).inheritIO().start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python3 make_parity.py --full").isZero();
    }

    @Test
    void resnet50MatchesTorchvision() {
        float cpu = Parity.resnet(dir, "resnet50", ResNet.resnet50(), Device.cpu());
        float gpu = Parity.resnet(dir, "resnet50", ResNet.resnet50(), Device.gpu(0));
        float gpuChannelsLast = Parity.resnet(dir, "resnet50", new ResNet(ResNet.Depth.RESNET50, 1000, 64, false, true),
                Device.gpu(0));
        float scale = Parity.resnetOutputScale(dir, "resnet50");
        System.out.printf("PARITY resnet50 max|diff| cpu %.3g gpu %.3g gpu-channels-last %.3g (max|output| %.3g)%n",
                cpu, gpu, gpuChannelsLast, scale);
        assertThat(cpu).isLessThan(1e-3f);
        // TF32 convolutions: a relative error of about 1e-3 of the output's scale
        assertThat(gpu / scale).isLessThan(1e-2f);
        assertThat(gpuChannelsLast / scale).isLessThan(1e-2f);
    }

    @Test
    void bertBaseMatchesHuggingFace() {
        float[] cpu = Parity.bert(dir, "bert-base", new Bert(BertConfig.base()), Device.cpu());
        float[] gpu = Parity.bert(dir, "bert-base", new Bert(BertConfig.base()), Device.gpu(0));
        System.out.printf("PARITY bert-base max|diff| cpu hidden %.3g pooled %.3g; gpu hidden %.3g pooled %.3g%n",
                cpu[0], cpu[1], gpu[0], gpu[1]);
        assertThat(cpu[0]).isLessThan(1e-3f);
        assertThat(cpu[1]).isLessThan(1e-3f);
        assertThat(gpu[0]).isLessThan(1e-2f);
    }
}
