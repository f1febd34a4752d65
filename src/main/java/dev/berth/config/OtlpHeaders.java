package dev.berth.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code berth.metrics.otlp.headers}: {@code NAME=VALUE} pairs separated by commas, each value percent-encoded as the
 * OpenTelemetry exporters read {@code OTEL_EXPORTER_OTLP_HEADERS} (W3C Baggage: {@code %20} is a space, {@code %2C}
 * a comma, and a {@code +} stays a {@code +}, as Base64 credentials need).
 */
public final class OtlpHeaders {

    private OtlpHeaders() {
    }

    /**
     * The headers in order, values decoded. A pair without a name, or a value whose {@code %} is not followed by two hex
     * digits, is refused with a reason that never repeats the value (it may hold a key).
     */
    public static Map<String, String> parse(String list) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String pair : list.split(",")) {
            int equals = pair.indexOf('=');
            if (equals <= 0 || pair.substring(0, equals).isBlank()) {
                throw new IllegalArgumentException("not a list of NAME=VALUE");
            }
            headers.put(pair.substring(0, equals).strip(), decode(pair.substring(equals + 1).strip()));
        }
        return Collections.unmodifiableMap(headers);
    }

    private static String decode(String value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(value.charAt(i + 2), 16) : -1;
            if (low < 0) {
                throw new IllegalArgumentException("a value has a % that is not followed by two hex digits (write %25 for a %)");
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
