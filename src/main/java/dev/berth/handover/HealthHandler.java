package dev.berth.handover;

import dev.berth.backing.BackingServices;
import dev.berth.health.HealthCheck;
import dev.berth.health.HealthCheck.Kind;
import dev.berth.http.Json;
import dev.berth.http.SmallResponse;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The health endpoints, in MicroProfile Health's JSON: {@code <base>/live}, {@code <base>/ready},
 * {@code <base>/started} and {@code <base>} (all three: ready implies started), 200 for UP and 503 for DOWN.
 * Berth's own checks ({@code berth-live}, {@code berth-ready}, {@code berth-started}) come first, then each backing
 * service's (a session store, a DataSource) under readiness; {@code berth-ready} is UP when the application serves
 * and every other readiness check is UP. Each check's data (the phase, the port, the deployment time, the requests held, what failed)
 * is shown only with {@code berth.health.details=always}: what failed may name a host.
 */
final class HealthHandler implements BerthEndpoints.Endpoint {

    private final String base;
    private final boolean details;
    private final PhaseTracker phases;
    private final BackingServices backing;
    private final IntSupplier held;
    private final List<HealthCheck> own;

    private HealthHandler(String base, boolean details, PhaseTracker phases, BackingServices backing, IntSupplier held) {
        this.base = base;
        this.details = details;
        this.phases = phases;
        this.backing = backing;
        this.held = held;
        this.own = phaseChecks();
    }

    /**
     * Registers the endpoints under {@code base} (none when it is empty: health off); {@code held} counts the
     * application requests waiting for the deployment.
     */
    static void register(BerthEndpoints endpoints, String base, boolean details, PhaseTracker phases, BackingServices backing,
                         IntSupplier held) {
        if (base.isEmpty()) {
            return;
        }
        HealthHandler health = new HealthHandler(base, details, phases, backing, held);
        for (String path : List.of(base, base + "/", base + "/live", base + "/ready", base + "/started")) {
            endpoints.add("health", path, health);
        }
    }

    @Override
    public void handle(String path, Request request, Response response, Callback callback) {
        if (SmallResponse.refusedUnlessRead(request, response, callback)) {
            return;
        }
        Set<HealthCheck.Kind> kinds = switch (path.substring(base.length())) {
            case "/live" -> Set.of(HealthCheck.Kind.LIVE);
            case "/ready" -> Set.of(HealthCheck.Kind.READY);
            case "/started" -> Set.of(HealthCheck.Kind.STARTED);
            default -> Set.of(HealthCheck.Kind.values());
        };
        List<Json> checks = new ArrayList<>();
        boolean up = true;
        for (Reported check : checks(kinds)) {
            up &= check.result().up();
            checks.add(check.toJson(details));
        }
        String body = Json.object().put("status", status(up)).put("checks", checks).toString();
        SmallResponse.write(request, response, callback, up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503, SmallResponse.JSON, body);
    }

    /** The checks of {@code kinds}, each read once: Berth's own first, then the backing services'. */
    private List<Reported> checks(Set<HealthCheck.Kind> kinds) {
        List<HealthCheck> all = new ArrayList<>(own);
        all.addAll(backing.services());
        List<Reported> reported = new ArrayList<>();
        for (HealthCheck check : all) {
            if (kinds.contains(check.kind())) {
                reported.add(new Reported(check.name(), check.check()));
            }
        }
        return reported;
    }

    /** The phase's checks: {@code berth-ready} is UP when the application serves and every service's check is UP. */
    private List<HealthCheck> phaseChecks() {
        return List.of(
                new PhaseCheck("berth-live", HealthCheck.Kind.LIVE, () -> true, this::phaseData),
                new PhaseCheck("berth-ready", HealthCheck.Kind.READY, () -> phases.phase() == Phase.SERVING
                        && backing.services().stream().filter(s -> s.kind() == HealthCheck.Kind.READY).allMatch(s -> s.check().up()),
                        this::phaseData),
                new PhaseCheck("berth-started", HealthCheck.Kind.STARTED, phases::isStarted, this::phaseData));
    }

    /** The data of Berth's own checks: the phase, the port, the deployment time and the requests held. */
    private Map<String, Object> phaseData() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("phase", phases.phase().name());
        data.put("port", (long) phases.port());
        data.put("deploymentMs", phases.deploymentMillis());
        data.put("held", (long) held.getAsInt());
        return data;
    }

    /** One of Berth's own checks. */
    private record PhaseCheck(String name, Kind kind, BooleanSupplier up, Supplier<Map<String, Object>> data) implements HealthCheck {
        @Override
        public Result check() {
            return new Result(up.getAsBoolean(), data.get());
        }
    }

    /** A check's name and its state as read for this response. */
    private record Reported(String name, HealthCheck.Result result) {

        Json toJson(boolean details) {
            Json json = Json.object().put("name", name).put("status", status(result.up()));
            if (details && !result.details().isEmpty()) {
                Json data = Json.object();
                result.details().forEach((key, value) -> {
                    if (value instanceof Number number) {
                        data.put(key, number.longValue());
                    } else {
                        data.put(key, String.valueOf(value));
                    }
                });
                json.put("data", data);
            }
            return json;
        }
    }

    private static String status(boolean up) {
        return up ? "UP" : "DOWN";
    }
}
