package dev.berth.handover;

import dev.berth.backing.BackingService;
import dev.berth.backing.BackingServices;
import dev.berth.http.Json;
import dev.berth.http.SmallResponse;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The health endpoints, in MicroProfile Health's JSON: {@code <base>/live}, {@code <base>/ready},
 * {@code <base>/started} and {@code <base>} (live and ready), 200 for UP and 503 for DOWN. The data says
 * the phase, the port, the deployment time and how many requests wait for the application, and nothing that
 * could leak (no paths, no stack traces). Readiness also lists each backing service (a session store, a
 * database) with what failed while it is unreachable; it is UP only when every one answers.
 */
final class HealthHandler {

    private final String base;
    private final PhaseTracker phases;
    private final BackingServices backing;
    private final IntSupplier held;

    /** {@code held} counts the application requests waiting for the deployment. */
    HealthHandler(String base, PhaseTracker phases, BackingServices backing, IntSupplier held) {
        this.base = base;
        this.phases = phases;
        this.backing = backing;
        this.held = held;
    }

    /** True when the path is one of the health endpoints. */
    boolean matches(String path) {
        return HealthPaths.matches(base, path);
    }

    void handle(String path, Request request, Response response, Callback callback) {
        if (SmallResponse.refusedUnlessRead(request, response, callback)) {
            return;
        }
        Phase phase = phases.phase();
        boolean all = path.length() <= base.length() + 1;
        List<Check> checks = new ArrayList<>();
        if (all || path.endsWith("/live")) {
            checks.add(new Check("live", true));
        }
        List<Json> services = new ArrayList<>();
        if (all || path.endsWith("/ready")) {
            boolean reached = true;
            for (BackingService service : backing.services()) {
                reached &= service.isUp();
                services.add(toJson(service));
            }
            checks.add(new Check("ready", phase == Phase.SERVING && reached));
        }
        if (all || path.endsWith("/started")) {
            checks.add(new Check("started", phases.isStarted()));
        }
        // ready implies started, so "all UP" on the combined endpoint means live and ready
        boolean up = checks.stream().allMatch(Check::up);
        Json data = Json.object().put("phase", phase.name()).put("port", phases.port()).put("deploymentMs", phases.deploymentMillis())
                .put("held", held.getAsInt());
        List<Json> bodies = new ArrayList<>(checks.stream().map(c -> c.toJson(data)).toList());
        bodies.addAll(services);
        String body = Json.object().put("status", status(up)).put("checks", bodies).toString();
        SmallResponse.write(request, response, callback, up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503, SmallResponse.JSON, body);
    }

    /** A backing service's check: its name and, while DOWN, what failed (the message names no password). */
    private static Json toJson(BackingService service) {
        Json json = Json.object().put("name", service.name()).put("status", status(service.isUp()));
        service.failure().ifPresent(failure -> json.put("data", Json.object().put("error", failure)));
        return json;
    }

    private record Check(String name, boolean up) {
        Json toJson(Json data) {
            return Json.object().put("name", "berth-" + name).put("status", status(up)).put("data", data);
        }
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
