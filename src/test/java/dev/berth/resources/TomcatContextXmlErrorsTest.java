package dev.berth.resources;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.berth.resources.ContextXmlReading.at;
import static dev.berth.resources.ContextXmlReading.context;
import static dev.berth.resources.ContextXmlReading.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * A declaration Berth would honour but cannot (a value of the wrong type, a DataSource without a url, a name
 * declared twice) is an error naming the line, the element and the attribute with its value, never a guess.
 */
class TomcatContextXmlErrorsTest {

    private static final String APP = "<Resource name=\"jdbc/app\">";
    private static final String DATA_SOURCE = "<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" url=\"jdbc:h2:mem:x\"";

    static Stream<Arguments> badDeclarations() {
        return Stream.of(
                bad("an Integer that is not a number", "<Environment name=\"maxExemptions\" type=\"java.lang.Integer\" value=\"ten\"/>",
                        "value=\"ten\"", "<Environment name=\"maxExemptions\">", "java.lang.Integer"),
                bad("a Byte out of range", "<Environment name=\"b\" type=\"java.lang.Byte\" value=\"300\"/>",
                        "value=\"300\"", "<Environment name=\"b\">", "java.lang.Byte"),
                bad("a Boolean that is not true or false", "<Environment name=\"on\" type=\"java.lang.Boolean\" value=\"yes\"/>",
                        "value=\"yes\"", "<Environment name=\"on\">", "java.lang.Boolean"),
                bad("a Character of two characters", "<Environment name=\"c\" type=\"java.lang.Character\" value=\"ab\"/>",
                        "value=\"ab\"", "<Environment name=\"c\">", "java.lang.Character"),
                bad("a type Berth does not convert to", "<Environment name=\"d\" type=\"java.math.BigDecimal\" value=\"1\"/>",
                        "type=\"java.math.BigDecimal\"", "<Environment name=\"d\">", "java.lang.String, java.lang.Integer, java.lang.Long,"
                                + " java.lang.Boolean, java.lang.Double, java.lang.Float, java.lang.Short, java.lang.Byte, java.lang.Character"),
                bad("an Environment without a type", "<Environment name=\"e\" value=\"1\"/>", "<Environment name=\"e\">", "no type"),
                bad("an Environment without a value", "<Environment name=\"e\" type=\"java.lang.String\"/>", "<Environment name=\"e\">",
                        "no value"),
                bad("a Parameter without a value", "<Parameter name=\"p\"/>", "<Parameter name=\"p\">", "no value"),
                bad("an override that is not true or false", "<Parameter name=\"p\" value=\"v\" override=\"no\"/>",
                        "override=\"no\"", "<Parameter name=\"p\">", "true or false"),
                bad("a DataSource without a url", "<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" username=\"app\"/>",
                        APP, "no url"),
                bad("a Resource without a name", "<Resource type=\"javax.sql.DataSource\" url=\"jdbc:h2:mem:x\"/>", "<Resource>",
                        "no name"),
                bad("a maxTotal that is not a number", DATA_SOURCE + " maxTotal=\"lots\"/>", "maxTotal=\"lots\"", APP, "whole number"),
                bad("a maxTotal of zero", DATA_SOURCE + " maxTotal=\"0\"/>", "maxTotal=\"0\"", APP, "give 1 or more"),
                bad("a negative minIdle", DATA_SOURCE + " minIdle=\"-1\"/>", "minIdle=\"-1\"", APP, "give 0 or more"),
                bad("a defaultAutoCommit that is not true or false", DATA_SOURCE + " defaultAutoCommit=\"ture\"/>",
                        "defaultAutoCommit=\"ture\"", APP, "true or false"),
                bad("an unknown isolation level", DATA_SOURCE + " defaultTransactionIsolation=\"SNAPSHOT\"/>",
                        "defaultTransactionIsolation=\"SNAPSHOT\"", APP, "NONE, READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ or SERIALIZABLE"),
                bad("a url that is neither JDBC nor postgres://, its password masked", "<Resource name=\"jdbc/app\""
                        + " type=\"javax.sql.DataSource\" url=\"mongodb://app:S3cret@db/app\"/>", "url=\"mongodb://app:****@db/app\"", APP,
                        "not a JDBC URL (jdbc:...) nor a postgres://, mysql:// or mariadb:// URL"),
                bad("a name declared twice in java:comp/env", "<Environment name=\"jdbc/app\" type=\"java.lang.String\" value=\"x\"/>\n"
                        + DATA_SOURCE + "/>", APP, "jdbc/app is already declared at line 2"));
    }

    private static Arguments bad(String behaviour, String body, String... parts) {
        return arguments(behaviour, body, parts);
    }

    @ParameterizedTest(name = "{0} is an error")
    @MethodSource("badDeclarations")
    void aBadDeclarationIsAnErrorNamingLineElementAndAttribute(String behaviour, String body, String[] parts) {
        // the body starts on line 2; a declaration that clashes with an earlier one is on the last line
        int line = (int) body.lines().count() + 1;

        assertThat(refused(context(body)).error()).satisfies(at(line, parts));
    }
}
