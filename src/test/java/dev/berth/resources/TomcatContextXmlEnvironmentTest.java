package dev.berth.resources;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.berth.resources.ContextXmlReading.TOMCAT_APP;
import static dev.berth.resources.ContextXmlReading.context;
import static dev.berth.resources.ContextXmlReading.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** {@code <Environment>} entries (java:comp/env) and {@code <Parameter>}s (context init parameters). */
class TomcatContextXmlEnvironmentTest {

    @Test
    void environmentEntriesAndParametersKeepTheirOrderTypeAndOverride() {
        TomcatContextXml xml = read(TOMCAT_APP).xml();

        assertThat(xml.environment()).containsExactly(
                new EnvironmentEntry("maxExemptions", 10, false),
                new EnvironmentEntry("greeting", "Hello", true));
        assertThat(xml.environment().get(0).type()).isEqualTo(Integer.class);
        assertThat(xml.parameters()).containsExactly(
                new ContextParameter("companyName", "My Company, Incorporated", false),
                new ContextParameter("theme", "dark", true));
    }

    static Stream<Arguments> environmentValues() {
        return Stream.of(
                arguments("java.lang.String", " padded ", " padded "),
                arguments("java.lang.Integer", " 42", 42),
                arguments("java.lang.Long", "9000000000", 9_000_000_000L),
                arguments("java.lang.Boolean", "TRUE", true),
                arguments("java.lang.Double", "2.5", 2.5d),
                arguments("java.lang.Float", "0.25", 0.25f),
                arguments("java.lang.Short", "-7", (short) -7),
                arguments("java.lang.Byte", "127", (byte) 127),
                arguments("java.lang.Character", "Y", 'Y'));
    }

    @ParameterizedTest(name = "a {0} entry holds a {0}")
    @MethodSource("environmentValues")
    void anEnvironmentValueIsConvertedToItsType(String type, String value, Object expected) {
        EnvironmentEntry entry = read(context("<Environment name=\"x\" type=\"" + type + "\" value=\"" + value + "\"/>"))
                .xml().environment().get(0);

        assertThat(entry.value()).isEqualTo(expected);
        assertThat(entry.type().getName()).isEqualTo(type);
    }
}
