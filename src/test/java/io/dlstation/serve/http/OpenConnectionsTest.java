package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpenConnectionsTest {
    @Test
    void countsWhatIsOpenAndWakesTheDrainWhenTheLastCloses() throws Exception {
        OpenConnections connections = new OpenConnections();
        connections.onOpened(null);
        connections.onOpened(null);
        assertThat(connections.awaitNone(Duration.ZERO)).as("still open, without waiting").isEqualTo(2);
        connections.onClosed(null);
        assertThat(connections.count()).isEqualTo(1);

        CompletableFuture<Integer> drain = CompletableFuture.supplyAsync(() -> {
            try {
                return connections.awaitNone(Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                throw new CompletionException(e);
            }
        });
        connections.onClosed(null);

        assertThat(drain.get(60, TimeUnit.SECONDS)).isZero();
    }
}
