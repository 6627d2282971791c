package io.dlstation.serve.http;

import io.dlstation.error.DlstationException;
import io.dlstation.error.ErrorCode;
import io.dlstation.serve.ModelRegistry;
import io.dlstation.serve.ModelSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The repository API: {@code GET|POST /v2/repository/index}, {@code POST /v2/repository/models/{m}/load}
 * and {@code .../unload}. Each call needs {@code Authorization: Bearer TOKEN} with the server's
 * {@code --admin-token}; a server started without one keeps the API closed.
 */
final class RepositoryEndpoints {
    private final HttpSettings settings;
    private final ModelRegistry registry;

    RepositoryEndpoints(HttpSettings settings, ModelRegistry registry) {
        this.settings = settings;
        this.registry = registry;
    }

    void index(Exchange x) {
        authorize(x);
        List<Map<String, Object>> models = registry.index().stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            m.put("version", ModelSpec.VERSION);
            m.put("state", e.state().name());
            if (e.reason() != null) {
                m.put("reason", e.reason());
            }
            return m;
        }).toList();
        x.json(200, models);
    }

    void loadOrUnload(Exchange x, String name, boolean load) {
        authorize(x);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (load) {
            registry.load(name, settings.drainTimeout());
        } else {
            body.put("drained", registry.unload(name, settings.drainTimeout()));
        }
        body.put("state", registry.state(name).state().name());
        x.json(200, body);
    }

    private void authorize(Exchange x) {
        if (settings.adminToken() == null) {
            throw new DlstationException(ErrorCode.UNAUTHORIZED, "the repository API is closed: start the server "
                    + "with --admin-token (or DLSTATION_ADMIN_TOKEN) to open it");
        }
        String header = x.header("Authorization");
        String expected = "Bearer " + settings.adminToken();
        if (header == null || !MessageDigest.isEqual(header.strip().getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            throw new DlstationException(ErrorCode.UNAUTHORIZED, "the repository API needs the header "
                    + "'Authorization: Bearer <admin token>'" + (header == null ? "" : "; the token given is wrong"));
        }
    }
}
