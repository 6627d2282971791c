package io.dlstation.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's nginx running the shipped {@code deploy/nginx/nginx.conf} in the foreground as the current
 * user: its listen port, upstream servers, pid, logs and temp folders rewritten into a temp folder,
 * everything else as shipped.
 */
final class NginxFront implements AutoCloseable {
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^(\\s*)server dlstation:8080([^;]*);");

    private final Process process;
    private final Path dir;
    private final int port;

    private NginxFront(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** The shipped config with {@code upstreamPorts} (on 127.0.0.1) behind {@code port}, its files in {@code dir}. */
    static String rewrite(String shipped, Path dir, int port, List<Integer> upstreamPorts) {
        Matcher server = UPSTREAM_SERVER.matcher(shipped);
        if (!server.find()) {
            throw new AssertionError("nginx.conf has no 'server dlstation:8080 ...;' line in its upstream");
        }
        String indent = server.group(1);
        String parameters = server.group(2);
        String servers = upstreamPorts.stream().map(p -> indent + "server 127.0.0.1:" + p + parameters + ";")
                .collect(Collectors.joining("\n"));
        String config = shipped.substring(0, server.start()) + servers + shipped.substring(server.end());
        config = replaceOnce(config, "(?m)^pid [^;]*;", "pid " + dir.resolve("nginx.pid") + ";");
        config = replaceOnce(config, "(?m)^error_log [^;]*;", "error_log " + dir.resolve("error.log") + " info;\n"
                + "daemon off;\nuser " + System.getProperty("user.name") + ";");
        config = replaceOnce(config, "(?m)^(\\s*)access_log [^;]*;", "$1access_log " + dir.resolve("access.log") + ";\n"
                + temp("client_body", dir) + temp("proxy", dir) + temp("fastcgi", dir) + temp("uwsgi", dir)
                + temp("scgi", dir));
        return replaceOnce(config, "(?m)^(\\s*)listen 80;", "$1listen 127.0.0.1:" + port + ";");
    }

    private static String temp(String kind, Path dir) {
        return "$1" + kind + "_temp_path " + dir.resolve(kind) + ";\n";
    }

    private static String replaceOnce(String text, String regex, String replacement) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new AssertionError("nginx.conf has no line matching " + regex);
        }
        return matcher.replaceFirst(replacement.replace("\\", "\\\\"));
    }

    /** Starts nginx on a free loopback port in front of {@code upstreamPorts}; returns once it accepts connections. */
    static NginxFront start(Path nginx, Path dir, List<Integer> upstreamPorts) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, rewrite(DeployFiles.read("nginx/nginx.conf"), dir, port, upstreamPorts));
        Process process = new ProcessBuilder(nginx.toString(), "-e", dir.resolve("error.log").toString(), "-p",
                dir.toString(), "-c", conf.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile()).start();
        NginxFront front = new NginxFront(process, dir, port);
        front.awaitListening(Duration.ofSeconds(20));
        return front;
    }

    private void awaitListening(Duration limit) {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("nginx exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new AssertionError("nginx did not listen on " + port + " within " + limit + ":\n" + log());
    }

    int port() {
        return port;
    }

    /** nginx's error log and output, for failure messages. */
    String log() {
        try {
            StringBuilder text = new StringBuilder();
            for (String name : List.of("error.log", "nginx.out")) {
                Path file = dir.resolve(name);
                if (Files.exists(file)) {
                    text.append(Files.readString(file));
                }
            }
            return text.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: nginx's fast shutdown
        try {
            process.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }
}
