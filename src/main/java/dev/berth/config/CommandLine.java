package dev.berth.config;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed command line: what to do, the property flags ({@code --name=value}, {@code --name value},
 * a boolean alone), {@code --config=FILE} and the positional WAR ({@code --convert} takes two operands instead:
 * the WAR to convert and where to write it).
 */
public record CommandLine(Command command, Map<String, String> properties, Optional<String> configFile, List<String> operands) {

    /** What the invocation asks for; when several are given, the first in this order wins. */
    public enum Command {
        HELP("--help"), VERSION("--version"), PRINT_CONFIG("--print-config"), CHECK_PORTS("--check-ports"), TRAIN("--train"),
        CONVERT("--convert"), RUN("");

        private final String flag;

        Command(String flag) {
            this.flag = flag;
        }

        /** What the user types; empty for {@link #RUN}. */
        public String flag() {
            return flag;
        }

        static Optional<Command> of(String arg) {
            if (arg.equals("-h")) {
                return Optional.of(HELP);
            }
            return List.of(values()).stream().filter(c -> !c.flag.isEmpty() && c.flag.equals(arg)).findFirst();
        }
    }

    private static final String CONFIG_FLAG = "--config";

    public CommandLine {
        properties = Map.copyOf(properties);
        operands = List.copyOf(operands);
    }

    /**
     * As much of the command line as can be read, never failing: unknown flags and the operands are passed over, and a
     * flag without its value ends the reading. For reporting a command line that {@link #parse} refused in the log
     * format it asks for.
     */
    public static CommandLine lenient(String... args) {
        Parser parser = new Parser(args, true);
        try {
            parser.parseAll();
        } catch (BerthException e) {
            // what was read before the flag that lacks its value stands
        }
        return new CommandLine(Command.RUN, parser.properties, Optional.ofNullable(parser.configFile), List.of());
    }

    public static CommandLine parse(String... args) throws BerthException {
        Parser parser = new Parser(args, false);
        parser.parseAll();
        if (parser.command == Command.CONVERT) {
            return new CommandLine(parser.command, parser.properties, Optional.ofNullable(parser.configFile), parser.convertOperands());
        }
        return new CommandLine(parser.command, parser.withWar(), Optional.ofNullable(parser.configFile), List.of());
    }

    /** One pass over the arguments; {@code next} is the index of the argument to read next. */
    private static final class Parser {
        private final String[] args;
        private final boolean lenient;
        private final Catalog catalog = Catalog.get();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> positional = new ArrayList<>();
        private Command command = Command.RUN;
        private String configFile;
        private int next;

        Parser(String[] args, boolean lenient) {
            this.args = args;
            this.lenient = lenient;
        }

        void parseAll() throws BerthException {
            boolean optionsEnded = false;
            while (next < args.length) {
                String arg = args[next++];
                if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                    positional.add(arg);
                } else if (arg.equals("--")) {
                    optionsEnded = true;
                } else if (Command.of(arg).isPresent()) {
                    Command asked = Command.of(arg).get();
                    command = asked.ordinal() < command.ordinal() ? asked : command;
                } else {
                    option(arg);
                }
            }
        }

        private void option(String arg) throws BerthException {
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            String inline = eq < 0 ? null : arg.substring(eq + 1);
            if (flag.equals(CONFIG_FLAG)) {
                configFile = inline != null ? inline : valueAfter(flag);
                return;
            }
            String property = Catalog.PREFIX + flag.substring(Math.min(2, flag.length()));
            Optional<Catalog.Entry> entry = flag.startsWith("--") ? catalog.entry(property) : Optional.empty();
            if (entry.isEmpty()) {
                if (lenient) {
                    return;
                }
                throw unknown(flag);
            }
            String value = inline != null ? inline : entry.get().isBoolean() ? "true" : valueAfter(flag);
            properties.put(property, value);
        }

        private String valueAfter(String flag) throws BerthException {
            if (next >= args.length || (args[next].startsWith("--") && args[next].length() > 2)) {
                throw new BerthException(ExitCode.USAGE, flag + " needs a value", "write " + flag + "=VALUE");
            }
            return args[next++];
        }

        List<String> convertOperands() throws BerthException {
            if (positional.size() != 2) {
                throw new BerthException(ExitCode.USAGE, "--convert needs two arguments, the WAR and where to write it; got "
                        + positional.size(), "write --convert IN.war OUT.war");
            }
            return positional;
        }

        /**
         * The properties with the positional arguments as berth.war: one WAR, or several as {@code PATH=WAR} each,
         * joined with commas ({@code /shop=shop.war,/api=api.war}).
         */
        Map<String, String> withWar() throws BerthException {
            if (positional.size() > 1) {
                for (String war : positional) {
                    if (!war.startsWith("/") || !war.contains("=")) {
                        throw new BerthException(ExitCode.USAGE, "several WARs given, and " + war + " has no context path",
                                "give each its path: /shop=shop.war /api=api.war (or one WAR alone)");
                    }
                }
            }
            if (!positional.isEmpty()) {
                if (properties.containsKey("berth.war")) {
                    throw new BerthException(ExitCode.USAGE, "the WAR is given twice: --war=" + properties.get("berth.war")
                            + " and " + String.join(" ", positional), "pass it either as --war or as the last argument");
                }
                properties.put("berth.war", String.join(",", positional));
            }
            return properties;
        }

        private BerthException unknown(String flag) {
            List<String> valid = new ArrayList<>(List.of(CONFIG_FLAG));
            for (Command c : Command.values()) {
                if (!c.flag.isEmpty()) {
                    valid.add(c.flag);
                }
            }
            catalog.entries().forEach(e -> valid.add(e.flag()));
            String action = Suggestions.closest(flag, valid).map(s -> "did you mean " + s + "? (--help lists every option)")
                    .orElse("--help lists every option");
            return new BerthException(ExitCode.USAGE, "unknown option " + flag, action);
        }
    }
}
