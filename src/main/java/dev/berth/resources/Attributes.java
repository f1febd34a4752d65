package dev.berth.resources;

import dev.berth.base.Secrets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import javax.xml.stream.XMLStreamReader;

/**
 * The attributes of one start tag. Each is resolved through the placeholders when it is read, so a placeholder
 * in an attribute Berth ignores is never an error; what was neither read nor accepted is reported as ignored.
 * Messages name an attribute and its element, and quote only values that cannot be secrets (numbers, flags).
 */
final class Attributes {

    private final String element;
    private final String origin;
    private final int line;
    private final Map<String, String> values;
    private final Placeholders placeholders;
    private final Set<String> used = new HashSet<>();

    private Attributes(String element, String origin, int line, Map<String, String> values, Placeholders placeholders) {
        this.element = element;
        this.origin = origin;
        this.line = line;
        this.values = values;
        this.placeholders = placeholders;
    }

    /** The attributes of the start tag {@code reader} is on, which starts on {@code line}. */
    static Attributes of(XMLStreamReader reader, int line, String origin, Placeholders placeholders) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            values.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
        }
        return new Attributes(reader.getLocalName(), origin, line, values, placeholders);
    }

    String element() {
        return element;
    }

    int line() {
        return line;
    }

    /** {@code origin:line} of the start tag. */
    String where() {
        return origin + ":" + line;
    }

    /** {@code <Resource name="jdbc/app">}: the element as messages name it, with its name or class as written. */
    String describe() {
        String key = values.containsKey("className") ? "className" : "name";
        return values.containsKey(key) ? "<" + element + " " + key + "=\"" + values.get(key) + "\">" : "<" + element + ">";
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** Marks attributes as known, so they are not reported as ignored. */
    void accept(String... names) {
        used.addAll(List.of(names));
    }

    /** Marks every attribute as known: for an element that is skipped whole, with one warning. */
    void acceptAll() {
        used.addAll(values.keySet());
    }

    /** The attribute's value with its placeholders resolved. */
    Optional<String> text(String name) {
        used.add(name);
        return Optional.ofNullable(values.get(name)).map(value -> Substitution.resolve(value, placeholders,
                placeholder -> error("${" + placeholder + "} in " + name + " of " + describe() + " is not set;"
                        + " set it, or give a default: ${" + placeholder + ":-value}")));
    }

    /** The attribute's value, which must be present and not blank. */
    String required(String name) {
        return text(name).filter(value -> !value.isBlank())
                .orElseThrow(() -> error(describe() + " has no " + name));
    }

    OptionalInt integer(String name) {
        OptionalLong value = longInteger(name);
        if (value.isPresent() && (value.getAsLong() < Integer.MIN_VALUE || value.getAsLong() > Integer.MAX_VALUE)) {
            throw error(quoted(name) + " of " + describe() + " is out of range");
        }
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }

    OptionalLong longInteger(String name) {
        Optional<String> value = text(name);
        try {
            return value.isPresent() ? OptionalLong.of(Long.parseLong(value.get().strip())) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            throw error(quoted(name) + " of " + describe() + " is not a whole number");
        }
    }

    /** Only {@code true} and {@code false}, in any case: a typo must not quietly mean false, as it does in Tomcat. */
    Optional<Boolean> bool(String name) {
        return text(name).map(value -> switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw error(quoted(name) + " of " + describe() + " is not true or false");
        });
    }

    /** {@code maxTotal="20"}: for messages, and only for attributes whose values are not secrets. */
    String quoted(String name) {
        return name + "=\"" + Secrets.mask(text(name).orElse("")) + "\"";
    }

    /** The attributes nobody read or accepted, in document order. */
    List<String> unused() {
        List<String> unused = new ArrayList<>(values.keySet());
        unused.removeAll(used);
        return unused;
    }

    /** An error at this tag: {@code origin:line: message}. */
    IllegalArgumentException error(String message) {
        return new IllegalArgumentException(where() + ": " + message);
    }
}
