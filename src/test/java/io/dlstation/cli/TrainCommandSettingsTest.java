package io.dlstation.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dlstation.data.DataSpec;
import io.dlstation.models.Architecture;
import io.dlstation.train.OptimizerKind;
import io.dlstation.train.TrainSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code dlstation train}'s flags make of the settings: the help's defaults are the builder's. */
class TrainCommandSettingsTest {
    @TempDir
    Path tmp;

    private TrainSettings settings(String... args) {
        TrainCommand command = new TrainCommand(CliRun.withoutGpu(tmp));
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void flagsLeftOutGiveTheBuildersDefaults() {
        Path out = tmp.resolve("run");

        assertThat(settings("--model", "resnet18", "--out", out.toString())).isEqualTo(TrainSettings.builder()
                .setModel(Architecture.RESNET18).setData(DataSpec.parse("shapes")).setOut(out).build());
    }

    @Test
    void defaultsThatDependOnOtherFlags() {
        TrainSettings s = settings("--model", "bert-base", "--data", "synthetic", "--optimizer", "AdamW",
                "--max-steps", "5", "--out", tmp.toString());

        assertThat(s.epochs()).as("epochs under --max-steps").isZero();
        assertThat(s.maxSteps()).isEqualTo(5);
        assertThat(s.optimizer()).isEqualTo(OptimizerKind.ADAMW);
        assertThat(s.lr()).as("adamw's learning rate").isEqualTo(1e-3f);
        assertThat(s.inputSize()).as("bert-base's sequence length").isEqualTo(128);
        assertThat(s.data()).isEqualTo(DataSpec.parse("synthetic"));
    }

    @Test
    void withoutOutTheRunGoesUnderRunsNamedAfterModelAndData() {
        TrainSettings s = settings("--model", "small-cnn", "--data", "imagefolder:/data/my pets", "--batch-size", "auto");

        assertThat(s.out().getParent()).isEqualTo(Path.of("runs"));
        assertThat(s.out().getFileName().toString()).matches("small-cnn-imagefolder_data_my_pets-\\d{8}-\\d{6}");
        assertThat(s.autoBatchSize()).isTrue();
    }
}
