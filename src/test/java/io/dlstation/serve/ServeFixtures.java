package io.dlstation.serve;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.dlstation.engine.DeviceSpec;
import io.dlstation.engine.EngineBootstrap;
import io.dlstation.engine.EnginePlan;
import io.dlstation.engine.EngineSettings;
import io.dlstation.engine.Precision;
import io.dlstation.engine.PyTorchInstallLocator;
import io.dlstation.gpu.GpuInventory;
import io.dlstation.models.Architecture;
import io.dlstation.models.ModelFolder;
import io.dlstation.models.nn.ModelParameters;
import io.dlstation.models.nn.TorchModule;
import io.dlstation.train.ImageTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The CPU engine and model folders for the server's tests, made from the committed TorchScript models. */
public final class ServeFixtures {
    /** tiny_cnn(ones(1, 3, 32, 32)), as PyTorch computed it. */
    public static final double[] TINY_CNN_ONES = {0.258531, 0.214219, -0.145375, -0.249952, -0.267018};

    private ServeFixtures() {}

    /** Starts (or finds) the CPU engine. */
    public static void startCpuEngine() {
        EngineBootstrap.start(EnginePlan.decide(new EngineSettings(null, null, DeviceSpec.CPU),
                GpuInventory.unavailable("test"), new PyTorchInstallLocator()));
    }

    /**
     * Writes {@code repository/name} holding the committed TorchScript file {@code file} and a
     * model.yaml whose body (after schema and format) is {@code yaml}.
     */
    public static Path torchScript(Path repository, String name, String file, String yaml) {
        Path folder = repository.resolve(name);
        try {
            Files.createDirectories(folder);
            try (InputStream in = ServeFixtures.class.getResourceAsStream("/serve/" + file)) {
                Files.copy(in, folder.resolve(file));
            }
            Files.writeString(folder.resolve(ModelFolder.DESCRIPTION_FILE),
                    "schema: 1\nformat: torchscript\nfile: " + file + "\n" + yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder;
    }

    /** tiny_cnn with softmax and five labels. */
    public static Path tinyCnn(Path repository, String name, String serving) {
        return torchScript(repository, name, "tiny_cnn.pt", """
                inputs:
                  - name: input
                    datatype: FP32
                    shape: [3, 32, 32]
                outputs:
                  - name: probabilities
                postprocess: softmax
                top_k: 3
                labels: [circle, square, triangle, star, cross]
                serving:
                """ + serving.indent(2));
    }

    /**
     * tiny_cnn fed pixels: a UINT8 input with mean 0.2 and std 0.8, so white pixels ((255 / 255 - 0.2) / 0.8
     * = 1) reach it as the ones {@link #TINY_CNN_ONES} is for; softmax on its output.
     */
    public static Path tinyCnnPixels(Path repository, String name, String serving) {
        return torchScript(repository, name, "tiny_cnn.pt", """
                inputs:
                  - name: input
                    datatype: UINT8
                    shape: [3, 32, 32]
                    mean: [0.2, 0.2, 0.2]
                    std: [0.8, 0.8, 0.8]
                postprocess: softmax
                serving:
                """ + serving.indent(2));
    }

    /** failing.pt: (B, 4) -> (B, 4) doubled, raising on a negative input. */
    public static Path failing(Path repository, String name, String serving) {
        return torchScript(repository, name, "failing.pt", """
                inputs:
                  - name: x
                    datatype: FP32
                    shape: [4]
                serving:
                """ + serving.indent(2));
    }

    /** A small CNN folder as {@code dlstation train} exports it (untrained weights), with no serving section. */
    public static Path trainExport(Path repository, String name) {
        Path folder = repository.resolve(name);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TorchModule model = Architecture.SMALL_CNN.build(3, false);
            ModelParameters parameters = ModelParameters.allocate(model, manager, Precision.FP32);
            ModelFolder.Description description = new ModelFolder.Description(1, "dlstation", Architecture.SMALL_CNN,
                    List.of(new ModelFolder.Input("input", "FP32", List.of(3L, 32L, 32L), ImageTensors.MEAN.clone(),
                            ImageTensors.STD.clone())), "softmax", 2, List.of("cat", "dog", "bird"), Precision.FP32,
                    Map.of("run", "test"));
            ModelFolder.write(folder, description, parameters.stateDict(manager));
        }
        return folder;
    }

    /** softmax of {@code logits}. */
    public static double[] softmax(double[] logits) {
        double max = java.util.Arrays.stream(logits).max().orElse(0);
        double[] e = java.util.Arrays.stream(logits).map(v -> Math.exp(v - max)).toArray();
        double sum = java.util.Arrays.stream(e).sum();
        return java.util.Arrays.stream(e).map(v -> v / sum).toArray();
    }
}
