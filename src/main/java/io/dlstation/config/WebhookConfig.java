package io.dlstation.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.dlstation.error.DlstationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/**
 * {@code monitor.notifiers.webhook}: where alert events are POSTed as JSON.
 *
 * @param url an http or https URL
 * @param timeout per request (default 10s)
 * @param maxAttempts tries per event, with exponential back-off between them (default 5)
 * @param queueCapacity events waiting to be sent; beyond it new events are dropped and counted (default 256)
 */
public record WebhookConfig(
        String url,
        @JsonDeserialize(using = DurationText.Positive.class) Duration timeout,
        Integer maxAttempts,
        Integer queueCapacity) {

    public WebhookConfig {
        checkUrl(url, "url");
        timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
        if (timeout.isNegative() || timeout.isZero()) {
            throw DlstationException.badInput("timeout " + DurationText.format(timeout) + " must be positive, e.g. 10s");
        }
        maxAttempts = maxAttempts == null ? 5 : maxAttempts;
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw DlstationException.badInput("max_attempts " + maxAttempts + " must be between 1 and 20");
        }
        queueCapacity = queueCapacity == null ? 256 : queueCapacity;
        if (queueCapacity < 1) {
            throw DlstationException.badInput("queue_capacity " + queueCapacity + " must be 1 or more");
        }
    }

    /** A webhook to {@code url} with every other setting at its default. */
    public static WebhookConfig of(String url) {
        return new WebhookConfig(url, null, null, null);
    }

    /** The URL as a URI. */
    public URI uri() {
        return URI.create(url);
    }

    /**
     * Checks that {@code url} is an absolute http(s) URL with a host; {@code field} names the flag or
     * field in the error.
     */
    public static URI checkUrl(String url, String field) {
        if (url == null || url.isBlank()) {
            throw DlstationException.badInput(field + " is required: an http:// or https:// URL");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw DlstationException.badInput(field + " '" + url + "' is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw DlstationException.badInput(field + " '" + url + "' is not an http(s) URL; "
                    + "write http://host:port/path or https://host/path");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw DlstationException.badInput(field + " '" + url + "' has no host; write http://host:port/path");
        }
        return uri;
    }
}
