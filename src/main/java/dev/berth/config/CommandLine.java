package dev.berth.config;

import dev.berth.BerthException;
import dev.berth.ExitCode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parsed command line: what to do, the property flags ({@code --name=value}, {@code --name value},
 * a boolean alone), {@code --config=FILE} and the positional WAR.
 */
public record CommandLine(Command command, Map<String, String> properties, Optional<String> configFile) {

    /** What the invocation asks for. */
    public enum Command {
        RUN, HELP, VERSION, PRINT_CONFIG, CHECK_PORTS, TRAIN
    }

    private static final Map<String, Command> COMMANDS = Map.of(
            "--help", Command.HELP, "-h", Command.HELP, "--version", Command.VERSION,
            "--print-config", Command.PRINT_CONFIG, "--check-ports", Command.CHECK_PORTS, "--train", Command.TRAIN);

    public CommandLine {
        properties = Map.copyOf(properties);
    }

    public static CommandLine parse(String... args) throws BerthException {
        Catalog catalog = Catalog.get();
        Command command = Command.RUN;
        Map<String, String> properties = new LinkedHashMap<>();
        String configFile = null;
        List<String> positional = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
                positional.add(arg);
                continue;
            }
            if (arg.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (COMMANDS.containsKey(arg)) {
                // the most informative command wins when several are given: help > version > the rest
                Command asked = COMMANDS.get(arg);
                command = command == Command.RUN || asked.ordinal() < command.ordinal() ? asked : command;
                continue;
            }
            int eq = arg.indexOf('=');
            String flag = eq < 0 ? arg : arg.substring(0, eq);
            String inline = eq < 0 ? null : arg.substring(eq + 1);
            if (flag.equals("--config")) {
                configFile = inline != null ? inline : valueAfter(args, ++i, flag);
                continue;
            }
            if (!flag.startsWith("--")) {
                throw unknown(flag, catalog);
            }
            String name = Catalog.PREFIX + flag.substring(2);
            Catalog.Entry entry = catalog.entry(name).orElseThrow(() -> unknown(flag, catalog));
            String value;
            if (inline != null) {
                value = inline;
            } else if (entry.isBoolean()) {
                value = "true";
            } else {
                value = valueAfter(args, ++i, flag);
            }
            properties.put(name, value);
        }
        if (positional.size() > 1) {
            throw new BerthException(ExitCode.USAGE, "more than one WAR given: " + String.join(", ", positional),
                    "Berth runs one application; pass one WAR file or exploded directory");
        }
        if (!positional.isEmpty()) {
            if (properties.containsKey("berth.war")) {
                throw new BerthException(ExitCode.USAGE, "the WAR is given twice: --war=" + properties.get("berth.war")
                        + " and " + positional.get(0), "pass it either as --war or as the last argument");
            }
            properties.put("berth.war", positional.get(0));
        }
        return new CommandLine(command, properties, Optional.ofNullable(configFile));
    }

    private static String valueAfter(String[] args, int index, String flag) throws BerthException {
        if (index >= args.length || (args[index].startsWith("--") && args[index].length() > 2)) {
            throw new BerthException(ExitCode.USAGE, flag + " needs a value", "write " + flag + "=VALUE");
        }
        return args[index];
    }

    private static BerthException unknown(String flag, Catalog catalog) {
        List<String> valid = new ArrayList<>(List.of("--help", "--version", "--print-config", "--check-ports", "--train", "--config"));
        catalog.entries().forEach(e -> valid.add(e.flag()));
        String suggestion = Suggestions.closest(flag, valid).map(s -> "did you mean " + s + "?").orElse(null);
        return new BerthException(ExitCode.USAGE, "unknown option " + flag,
                suggestion != null ? suggestion + " (--help lists every option)" : "--help lists every option");
    }
}
