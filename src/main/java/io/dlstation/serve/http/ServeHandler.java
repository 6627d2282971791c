package io.dlstation.serve.http;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.ModelRegistry;
import io.dlstation.serve.ServeMetrics;
import io.dlstation.time.Ticker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request to its endpoint and turns what they throw into the answer: the status from the
 * error's {@link ErrorCode} (a full queue as the configured 429 or 503, both with {@code Retry-After}; a
 * known path asked with another method as 405 with {@code Allow}), the body {@code {"code", "error",
 * "message"}} ({@link Exchange#errorBody}). Anything unexpected is logged and answered 500 without its details.
 * Runs on a virtual thread per request (Jetty dispatches blocking handlers so); an inference request
 * is answered later, by the thread that completes it, and its metrics are recorded then (the time from
 * the request's arrival, read from the injected {@link Ticker}).
 */
final class ServeHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ServeHandler.class);

    private final HttpSettings settings;
    private final ServeMetrics metrics;
    private final ServerStatus status;
    private final Ticker ticker;
    private final InferenceEndpoints inference;
    private final ServerEndpoints server;
    private final RepositoryEndpoints repository;

    /** @param answers writes large answers off the model's worker (see {@link InferenceEndpoints}) */
    ServeHandler(HttpSettings settings, ModelRegistry registry, ServeMetrics metrics, ServerStatus status,
            Ticker ticker, Executor answers) {
        this.settings = settings;
        this.metrics = metrics;
        this.status = status;
        this.ticker = ticker;
        this.inference = new InferenceEndpoints(settings, registry, status, ticker, answers);
        this.server = new ServerEndpoints(registry, metrics, status);
        this.repository = new RepositoryEndpoints(settings, registry);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange x = new Exchange(request, response, callback, ticker.read(), status);
        try {
            route(x);
        } catch (RuntimeException | Error e) {
            answerFailure(x, e);
        }
        if (x.later == null) {
            done(x);
        } else {
            x.later.whenComplete((ok, error) -> {
                try {
                    if (error != null) {
                        answerFailure(x, error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error);
                    }
                    done(x);
                } catch (RuntimeException | Error e) {
                    // An answer that cannot be written (say, a response already begun) must still end the
                    // exchange: Jetty then closes the connection instead of leaving the client waiting.
                    LOG.warn("{} {}: the answer could not be written", x.method(), x.request.getHttpURI().getPath(), e);
                    x.callback.failed(e);
                }
            });
        }
        return true;
    }

    private void done(Exchange x) {
        if (x.metricModel != null) {
            metrics.requestDone(x.metricModel, x.status, ticker.read() - x.startNanos);
        }
    }

    private void answerFailure(Exchange x, Throwable e) {
        if (e instanceof DlstationException d) {
            fail(x, d);
        } else {
            LOG.error("{} {} failed", x.method(), x.request.getHttpURI().getPath(), e);
            fail(x, new DlstationException(ErrorCode.INTERNAL, "internal error; the server log has the details"));
        }
    }

    private void route(Exchange x) {
        List<String> p = x.path;
        if (p.size() == 1) {
            switch (p.get(0)) {
                case "predict" -> {
                    allow(x, "POST");
                    inference.predict(x);
                    return;
                }
                case "stats" -> {
                    allow(x, "GET");
                    server.stats(x);
                    return;
                }
                case "metrics" -> {
                    allow(x, "GET");
                    server.metrics(x);
                    return;
                }
                case "v2" -> {
                    allow(x, "GET");
                    server.metadata(x);
                    return;
                }
                default -> { }
            }
        } else if (p.size() > 1 && p.get(0).equals("v2") && v2(x, p)) {
            return;
        }
        throw notFound(x);
    }

    private boolean v2(Exchange x, List<String> p) {
        if (p.size() == 3 && p.get(1).equals("health") && (p.get(2).equals("live") || p.get(2).equals("ready"))) {
            allow(x, "GET");
            if (p.get(2).equals("live")) {
                server.live(x);
            } else {
                server.ready(x);
            }
        } else if (p.size() >= 3 && p.get(1).equals("models")) {
            return model(x, p);
        } else if (p.size() == 3 && p.get(1).equals("repository") && p.get(2).equals("index")) {
            allow(x, "GET", "POST");
            repository.index(x);
        } else if (p.size() == 5 && p.get(1).equals("repository") && p.get(2).equals("models")
                && (p.get(4).equals("load") || p.get(4).equals("unload"))) {
            allow(x, "POST");
            repository.loadOrUnload(x, p.get(3), p.get(4).equals("load"));
        } else {
            return false;
        }
        return true;
    }

    /** {@code /v2/models/{m}[/versions/{v}][/ready|/infer]}. */
    private boolean model(Exchange x, List<String> p) {
        String name = p.get(2);
        List<String> rest = p.subList(3, p.size());
        if (rest.size() >= 2 && rest.get(0).equals("versions")) {
            inference.checkVersion(name, rest.get(1));
            rest = rest.subList(2, rest.size());
        }
        if (rest.isEmpty()) {
            allow(x, "GET");
            inference.metadata(x, name);
        } else if (rest.size() == 1 && rest.get(0).equals("ready")) {
            allow(x, "GET");
            inference.ready(x, name);
        } else if (rest.size() == 1 && rest.get(0).equals("infer")) {
            allow(x, "POST");
            x.later = inference.infer(x, name);
        } else {
            return false;
        }
        return true;
    }

    /** Refuses the request with 405 unless its method is one of {@code methods} (GET allows HEAD too). */
    private static void allow(Exchange x, String... methods) {
        List<String> allowed = new ArrayList<>();
        for (String m : methods) {
            allowed.add(m);
            if (m.equals("GET")) {
                allowed.add("HEAD");
            }
        }
        if (!allowed.contains(x.method())) {
            throw new MethodNotAllowed("method " + x.method() + " is not allowed on " + x.request.getHttpURI().getPath()
                    + "; use " + String.join(" or ", methods), allowed);
        }
    }

    static DlstationException notFound(String method, String path) {
        return new DlstationException(ErrorCode.NOT_FOUND, "no endpoint " + method + " " + path
                + "; see GET /v2, /v2/health/ready, /v2/models/{model}, "
                + "POST /v2/models/{model}/infer, POST /predict, GET /stats, GET /metrics");
    }

    private static DlstationException notFound(Exchange x) {
        return notFound(x.method(), x.request.getHttpURI().getPath());
    }

    private void fail(Exchange x, DlstationException e) {
        int status = e.code().httpStatus();
        if (e.code() == ErrorCode.QUEUE_FULL) {
            status = settings.queueFullStatus();
        }
        Map<String, String> headers = status == 429 || status == 503
                ? Map.of("Retry-After", Integer.toString(settings.retryAfterSeconds())) : Map.of();
        if (e.code() == ErrorCode.UNAUTHORIZED) {
            headers = Map.of("WWW-Authenticate", "Bearer");
        }
        if (e instanceof MethodNotAllowed m) {
            headers = Map.of("Allow", String.join(", ", m.allowed));
        }
        if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.OUT_OF_MEMORY) {
            LOG.warn("{} {}: {}", x.method(), x.request.getHttpURI().getPath(), e.getMessage());
            LOG.debug("what the engine said", e.getCause());
        }
        x.error(status, e.code(), e.getMessage(), headers);
    }

    /** A path that exists, asked with a method it does not take; the answer's {@code Allow} lists those it does. */
    private static final class MethodNotAllowed extends DlstationException {
        private static final long serialVersionUID = 1L;

        private final transient List<String> allowed;

        MethodNotAllowed(String message, List<String> allowed) {
            super(ErrorCode.METHOD_NOT_ALLOWED, message);
            this.allowed = List.copyOf(allowed);
        }
    }
}
