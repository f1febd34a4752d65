# syntax=docker/dockerfile:1
# The Berth launcher image. Build: docker build -t berth .   (or podman build -t berth .)
# Where no registry can be reached, docker/podman-build.sh --tag=berth makes stand-ins for the two base images first.
# Run a WAR: bake it into your own image (see README, "Docker") or mount it:
#   docker run -p 8080:8080 -e PORT=8080 -v "$PWD/app.war:/app/app.war:ro" berth

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
# the dependencies as the build resolves them (go-offline would also fetch every optional dependency of Micrometer's)
RUN mvn -B -q dependency:resolve
COPY src src
COPY LICENSE NOTICE ./
# no tests run here, so the build fetches none of the database binaries the tests start
RUN mvn -B -q -DskipTests -Dtest-servers.skip=true package

# The jar is built for Java 17 (maven.compiler.release) and runs on any Java 17+; the image runs it on Java 25
# for the AOT cache below, the fastest cold start measured (bench/aot/RESULTS.md).
FROM eclipse-temurin:25-jre
RUN groupadd --system berth && useradd --system --gid berth --home-dir /app --shell /usr/sbin/nologin berth \
    && mkdir -p /app && chown berth:berth /app
WORKDIR /app
COPY --from=build /src/target/berth.jar /opt/berth/berth.jar
USER berth
# An ahead-of-time cache (JDK 25, JEP 514) of the classes starting Berth and answering a request loads and
# links, with their method profiles (training run with the built-in status page; the JVM assembles the cache
# when the run exits). An application image replaces it with one trained on its WAR (README, "Docker").
RUN java -XX:AOTCacheOutput=/app/berth.aot -jar /opt/berth/berth.jar --train --host=127.0.0.1 \
        --port=0 --fallback-ports= --access-log=off
# Platforms set PORT; Berth binds it first and falls back to 8080, 8000.
EXPOSE 8080
# Exec form: java itself is PID 1 and receives SIGTERM, so Berth's shutdown hook drains and cleans up.
ENTRYPOINT ["java", "-XX:AOTCache=/app/berth.aot", "-XX:MaxRAMPercentage=75", "-jar", "/opt/berth/berth.jar"]
# A Java EE 8 (javax) WAR is converted at every cold start unless the image carries the converted WAR:
#   FROM berth
#   COPY target/legacy.war /app/legacy.war
#   RUN java -jar /opt/berth/berth.jar --convert /app/legacy.war /app/app.war && rm /app/legacy.war
# The WAR to run; `docker run IMAGE other.war` (or any flags) replaces it.
CMD ["/app/app.war"]
