package dev.berth.recipes;

import dev.berth.testing.Validators;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recipe files pass the validators npm has for their formats: the Kubernetes manifest against the API's schema
 * (kubernetes-models), the Dockerfiles with dockerfile-utils, fly.toml with taplo. Render's Blueprint and
 * railway.json have a schema only on their vendors' sites, which cannot be reached here; RecipesTest parses them.
 * Each validator is also shown a broken file, so a validator that accepts everything would fail here.
 */
class RecipeValidatorsIT {

    @TempDir
    Path broken;

    @Test
    void theKubernetesManifestMatchesTheApiSchema() throws Exception {
        Validators.Result result = Validators.run("node", "kubernetes.mjs", "config/kubernetes.yaml");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("valid apps/v1/Deployment", "valid v1/Service");

        Path wrong = broken.resolve("kubernetes.yaml");
        Files.writeString(wrong, Files.readString(Path.of("config/kubernetes.yaml")).replaceFirst("containerPort: \\d+", "containerPort: ten"));
        assertThat(Validators.run("node", "kubernetes.mjs", wrong.toString()).exitCode()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"config/Dockerfile", "Dockerfile"})
    void theDockerfilesLintClean(String dockerfile) throws Exception {
        Validators.Result result = Validators.run("dockerfile-utils", "lint", dockerfile);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).doesNotContain("Error", "Warning");

        Path wrong = broken.resolve("Dockerfile");
        Files.writeString(wrong, Files.readString(Path.of(dockerfile)).replaceFirst("(?m)^EXPOSE 8080$", "EXPOSE http"));
        assertThat(Validators.run("dockerfile-utils", "lint", wrong.toString()).output()).contains("Invalid containerPort: http");
    }

    @Test
    void flyTomlIsValidToml() throws Exception {
        Validators.Result result = Validators.run("taplo", "lint", "--no-schema", "config/fly.toml");
        assertThat(result.exitCode()).as(result.output()).isZero();

        Path wrong = broken.resolve("fly.toml");
        Files.writeString(wrong, Files.readString(Path.of("config/fly.toml")).replaceFirst("\\]", ""));
        assertThat(Validators.run("taplo", "lint", "--no-schema", wrong.toString()).exitCode()).isNotZero();
    }
}
