# One image for the operator and the engine pods it starts (for users with a registry; in this repository's
# test cluster ../shared/k8s/image.sh builds the equivalent image from target/quarkus-app instead).
#   ./mvnw -B package -DskipTests && docker build -t registry.example/quanta:0.1.0 .
FROM eclipse-temurin:17-jre
# The Quarkus fast-jar: quarkus-run.jar + lib/ + app/ + quarkus/
COPY --chown=0:0 target/quarkus-app/ /app/
WORKDIR /app
# Any non-root uid works (files are world-readable); the chart and the engine Jobs run as 65532.
USER 65532:65532
EXPOSE 8080
# `quanta operator` by default; engine Jobs override the command with `... quarkus-run.jar job step`.
CMD ["java", "--add-modules", "jdk.incubator.vector", "-XX:MaxRAMPercentage=75", "-Djava.io.tmpdir=/tmp", "-jar", "/app/quarkus-run.jar", "operator"]
