package dev.berth;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.base.Timeline;
import dev.berth.base.Version;
import dev.berth.bind.PortBinder;
import dev.berth.config.BerthConfig;
import dev.berth.config.CommandLine;
import dev.berth.config.ConfigLoader;
import dev.berth.config.Environment;
import dev.berth.config.HelpText;
import dev.berth.config.LoadedConfig;
import dev.berth.logging.Logs;
import dev.berth.migrate.JavaxWars;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;

/** {@code java -jar berth.jar}: parses the command line, runs {@link Berth}, and maps failures to exit codes. */
public final class Main {

    private static final String REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    private Main() {
    }

    public static void main(String[] args) {
        // Jetty asks the platform MBean server (about 200 JMX classes, ~40 ms) only to size a padding;
        // 16 references per 64-byte cache line is its answer for every heap with compressed oops.
        if (System.getProperty(REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(REFERENCES_PER_CACHE_LINE, "16");
        }
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Timeline timeline = new Timeline();
        Environment environment = Environment.fromSystem();
        try {
            CommandLine commandLine = CommandLine.parse(args);
            if (commandLine.command() == CommandLine.Command.RUN || commandLine.command() == CommandLine.Command.TRAIN) {
                // SLF4J starts here, alone: started by two threads at once, it would replay the second's first lines
                // with a warning (SLF4J(W) ... intercepted during the initialization phase)
                LoggerFactory.getILoggerFactory();
                Preload.start();
            }
            if (runWithoutSettings(commandLine, out)) {
                return ExitCode.OK.code();
            }
            LoadedConfig loaded = ConfigLoader.load(commandLine, environment);
            if (commandLine.command() == CommandLine.Command.PRINT_CONFIG) {
                loaded.describeAll().forEach(out::println);
                return ExitCode.OK.code();
            }
            if (commandLine.command() == CommandLine.Command.CHECK_PORTS) {
                boolean anyFree = PortBinder.of(loaded.config()).check(PortBinder.candidates(loaded.config()), out);
                return (anyFree ? ExitCode.OK : ExitCode.UNAVAILABLE).code();
            }
            if (commandLine.command() == CommandLine.Command.TRAIN) {
                return Training.run(loaded.config(), out);
            }
            timeline.mark("config");
            return serve(loaded, timeline);
        } catch (BerthException e) {
            report(e, ConfigLoader.logFormat(CommandLine.lenient(args), environment) == BerthConfig.LogFormat.JSON, err);
            return e.exitCode().code();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.OK.code();
        }
    }

    /** {@code --help}, {@code --version} and {@code --convert}, which read no settings; false for any other command. */
    private static boolean runWithoutSettings(CommandLine commandLine, PrintStream out) throws BerthException {
        switch (commandLine.command()) {
            case HELP -> HelpText.lines().forEach(out::println);
            case VERSION -> out.println("Berth " + Version.current());
            case CONVERT -> JavaxWars.convertAheadOfTime(Path.of(commandLine.operands().get(0)), Path.of(commandLine.operands().get(1)), out);
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * Berth's last words: what went wrong and what to do, as two {@code berth:} lines, or as one JSON line when the
     * settings ask for JSON (read again from every source, so a bad setting or an unknown flag elsewhere does not hide it).
     */
    private static void report(BerthException e, boolean json, PrintStream err) {
        if (json) {
            err.println(Logs.failure(Main.class.getName(), e.description(), e.action(), e.exitCode().code()));
            return;
        }
        err.println("berth: " + e.description());
        e.action().ifPresent(action -> err.println("berth: " + action));
    }

    private static int serve(LoadedConfig loaded, Timeline timeline) throws BerthException, InterruptedException {
        Logs.install(System.err, loaded.config().log().format() == BerthConfig.LogFormat.JSON);
        Logger log = LoggerFactory.getLogger(Main.class);
        log.info("Berth {} configured: port {} from {}, fallbacks {}, {}", Version.current(),
                loaded.config().port().map(String::valueOf).orElse("(none)"), loaded.origin("berth.port"),
                loaded.config().fallbackPorts(), loaded.config().war().map(w -> "WAR " + w).orElse("no WAR (status page)"));
        if (loaded.isPlatformDefault("berth.shutdown.timeout")) {
            log.info("A stop lets requests finish for at most {} ms (berth.shutdown.timeout), so that it fits the platform's grace period "
                    + "of {} ms; set berth.shutdown.timeout to choose", loaded.config().shutdown().timeout().toMillis(),
                    loaded.config().shutdown().grace().orElseThrow().toMillis());
        }
        timeline.mark("logging");
        Berth berth = Berth.start(loaded.config(), timeline);
        Logs.context(() -> berth.phase().name(), berth::port);
        Runtime.getRuntime().addShutdownHook(new Thread(berth::close, "berth-shutdown"));
        berth.awaitDeployment();
        berth.join();
        return ExitCode.OK.code();
    }
}
