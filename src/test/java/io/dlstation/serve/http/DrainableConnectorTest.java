package io.dlstation.serve.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.BufferedInputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

class DrainableConnectorTest {
    /**
     * The JDK closes a listening socket whose acceptor thread is blocked in accept only once that thread
     * has run again; a connection made in between is accepted by the kernel, then reset. Repeated, since
     * a plain close lets about a third of such connections through on a small machine.
     */
    @Test
    void onceTheListeningSocketIsClosedEveryNewConnectionIsRefusedAndOpenOnesAreStillAnswered() throws Exception {
        for (int round = 0; round < 50; round++) {
            Server server = new Server();
            DrainableConnector connector = new DrainableConnector(server, new HttpConnectionFactory());
            connector.setHost("127.0.0.1");
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    response.getHeaders().put("Content-Length", 2);
                    response.write(true, ByteBuffer.wrap(new byte[] {'o', 'k'}), callback);
                    return true;
                }
            });
            server.start();
            int port = connector.getLocalPort();
            try (Socket open = new Socket("127.0.0.1", port)) { // accepted: the acceptor is back in accept
                open.setSoTimeout(30_000);
                BufferedInputStream in = new BufferedInputStream(open.getInputStream());
                open.getOutputStream().write(HttpWire.getHead(port, "/"));
                assertThat(HttpWire.read(in).status()).isEqualTo(200);

                assertThat(connector.closeListening(Duration.ofSeconds(30))).as("the acceptor left accept").isTrue();

                assertThatExceptionOfType(ConnectException.class).as("round %d: a connection after the close", round)
                        .isThrownBy(() -> {
                            try (Socket late = new Socket()) {
                                late.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                            }
                        });
                open.getOutputStream().write(HttpWire.getHead(port, "/"));
                assertThat(HttpWire.read(in).status()).as("a connection already open").isEqualTo(200);
            } finally {
                server.stop();
            }
        }
    }
}
