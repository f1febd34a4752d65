package dev.berth.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** berth.metrics.otlp.headers read as the OpenTelemetry exporters read OTEL_EXPORTER_OTLP_HEADERS. */
class OtlpHeadersTest {

    @Test
    void valuesArePercentDecodedAndAPlusStaysAPlus() {
        assertThat(OtlpHeaders.parse("Authorization=Basic%20dXNlcjpwYXNz+w==, X-Scope = berth%2Cprod"))
                .containsExactly(java.util.Map.entry("Authorization", "Basic dXNlcjpwYXNz+w=="), java.util.Map.entry("X-Scope", "berth,prod"));
        assertThat(OtlpHeaders.parse("X-Name=Gr%C3%BC%C3%9Fe")).containsEntry("X-Name", "Grüße");
    }

    @Test
    void aBadPairOrEscapeIsRefusedWithoutRepeatingTheValue() {
        assertThatThrownBy(() -> OtlpHeaders.parse("Bearer s3cret")).hasMessage("not a list of NAME=VALUE");
        assertThatThrownBy(() -> OtlpHeaders.parse("Authorization=Bearer%zzs3cret"))
                .hasMessageNotContaining("s3cret").hasMessageContaining("%25");
        assertThatThrownBy(() -> OtlpHeaders.parse("Authorization=abc%4")).isInstanceOf(IllegalArgumentException.class);
    }
}
