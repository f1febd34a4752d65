package dev.berth.resources;

import dev.berth.config.StrictBooleanConverter;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** Reads an {@code <Environment name= value= type= override=/>}, converting the value to the declared type. */
final class EnvironmentReader {

    /** The types Tomcat converts an {@code <Environment>} value to, in the order messages list them. */
    private static final Map<String, Function<String, Object>> TYPES = new LinkedHashMap<>();

    static {
        TYPES.put("java.lang.String", value -> value);
        TYPES.put("java.lang.Integer", value -> Integer.valueOf(value.strip()));
        TYPES.put("java.lang.Long", value -> Long.valueOf(value.strip()));
        TYPES.put("java.lang.Boolean", StrictBooleanConverter::parse);
        TYPES.put("java.lang.Double", value -> Double.valueOf(value.strip()));
        TYPES.put("java.lang.Float", value -> Float.valueOf(value.strip()));
        TYPES.put("java.lang.Short", value -> Short.valueOf(value.strip()));
        TYPES.put("java.lang.Byte", value -> Byte.valueOf(value.strip()));
        TYPES.put("java.lang.Character", EnvironmentReader::character);
    }

    private EnvironmentReader() {
    }

    static EnvironmentEntry read(Attributes attributes, String name) {
        attributes.accept("description");
        String type = attributes.required("type");
        Function<String, Object> converter = TYPES.get(type.strip());
        if (converter == null) {
            throw attributes.error(attributes.quoted("type") + " of " + attributes.describe()
                    + " is not a type Berth converts to; use one of " + String.join(", ", TYPES.keySet()));
        }
        String value = attributes.text("value")
                .orElseThrow(() -> attributes.error(attributes.describe() + " has no value"));
        boolean webXmlMayOverride = attributes.bool("override").orElse(true);
        try {
            return new EnvironmentEntry(name, converter.apply(value), webXmlMayOverride);
        } catch (IllegalArgumentException e) {
            // NumberFormatException is one; the message quotes the value, as an Environment value is not a password
            throw attributes.error(attributes.quoted("value") + " of " + attributes.describe() + " is not a " + type.strip());
        }
    }

    private static Character character(String value) {
        if (value.length() != 1) {
            throw new IllegalArgumentException("not one character");
        }
        return value.charAt(0);
    }
}
