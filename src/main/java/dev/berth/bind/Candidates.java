package dev.berth.bind;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.config.BerthConfig;
import dev.berth.config.PortList;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The ports Berth tries, in order: berth.port (or PORT), then berth.fallback-ports; duplicates dropped. */
final class Candidates {

    private Candidates() {
    }

    static List<Integer> of(BerthConfig config) throws BerthException {
        Set<Integer> ports = new LinkedHashSet<>();
        config.port().ifPresent(ports::add);
        for (PortList.Range range : config.fallbackPorts().ranges()) {
            range.ports().forEach(ports::add);
        }
        if (ports.isEmpty()) {
            throw new BerthException(ExitCode.USAGE, "no candidate port: PORT and berth.port are unset and berth.fallback-ports is empty",
                    "set PORT, berth.port or berth.fallback-ports");
        }
        return List.copyOf(new ArrayList<>(ports));
    }
}
