package dev.cdcrelay.stack.components;

import com.pulumi.aws.ecr.EcrFunctions;
import com.pulumi.aws.ecr.LifecyclePolicy;
import com.pulumi.aws.ecr.LifecyclePolicyArgs;
import com.pulumi.aws.ecr.Repository;
import com.pulumi.aws.ecr.RepositoryArgs;
import com.pulumi.aws.ecr.RepositoryPolicy;
import com.pulumi.aws.ecr.RepositoryPolicyArgs;
import com.pulumi.aws.ecr.inputs.GetAuthorizationTokenArgs;
import com.pulumi.aws.ecr.inputs.RepositoryImageScanningConfigurationArgs;
import com.pulumi.aws.ecr.outputs.GetAuthorizationTokenResult;
import com.pulumi.core.Output;
import com.pulumi.docker.Image;
import com.pulumi.docker.ImageArgs;
import com.pulumi.docker.enums.BuilderVersion;
import com.pulumi.docker.inputs.DockerBuildArgs;
import com.pulumi.docker.inputs.RegistryArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.Resource;
import dev.cdcrelay.stack.ImageBuild;
import dev.cdcrelay.stack.config.ImageSettings;
import dev.cdcrelay.stack.policy.RepositoryPolicies;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The function image. By default the ECR repository, its policies, and the image built locally and
 * pushed into it. With a prebuilt image ({@code imageUri}) none of these: the image stays in the
 * repository it was pushed to (dev's, or a CI registry), whose policy already lets Lambda pull it;
 * a repository of this stack's own would stay empty.
 */
public final class FunctionImage extends ComponentResource {

    /** Only the digest matters to Lambda; the tag just names the newest push for people. */
    static final String TAG = "latest";

    /** Resource policy the function's creation must wait for (Lambda checks it can pull); only when built. */
    public final Optional<Resource> accessPolicy;
    /** The stack's own repository; only when the stack builds the image. */
    public final Optional<Output<String>> repositoryUrl;
    /** {@code <repository>@sha256:...} as docker reported it after the push; only when built. */
    public final Optional<Output<String>> repoDigest;
    /** What the function runs, by digest, so every new image rolls out. */
    public final Output<String> imageUri;
    /** {@code sha256:...}: what another stack is promoted to (its {@code imageUri} names the same digest). */
    public final Output<String> imageDigest;

    /** @param functionNames every function of the stack: each may pull the image, one build serves them all */
    public FunctionImage(String prefix, ImageSettings settings, ImageBuild build, List<String> functionNames,
                         Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:FunctionImage", prefix + "-image", ChildOptions.component(parent));
        if (settings.source() instanceof ImageSettings.Prebuilt prebuilt) {
            this.accessPolicy = Optional.empty();
            this.repositoryUrl = Optional.empty();
            this.repoDigest = Optional.empty();
            this.imageUri = Output.of(prebuilt.imageUri());
            this.imageDigest = Output.of(prebuilt.digest());
        } else {
            var repository = repository(prefix, (ImageSettings.Build) settings.source(), functionNames, tags);
            var image = buildAndPush(prefix, settings, build, repository);
            this.accessPolicy = Optional.of(repository.accessPolicy());
            this.repositoryUrl = Optional.of(repository.repository().repositoryUrl());
            this.repoDigest = Optional.of(image.repoDigest());
            this.imageUri = Output.tuple(repository.repository().repositoryUrl(), image.repoDigest())
                    .applyValue(urlAndDigest -> imageUri(urlAndDigest.t1, urlAndDigest.t2));
            this.imageDigest = imageUri.applyValue(uri -> uri.substring(uri.indexOf('@') + 1));
        }
        registerOutputs(Map.of("imageUri", imageUri, "imageDigest", imageDigest));
    }

    private record OwnRepository(Repository repository, Resource accessPolicy) {
    }

    private OwnRepository repository(String prefix, ImageSettings.Build settings, List<String> functionNames,
                                     Map<String, String> tags) {
        var repository = new Repository(prefix + "-function-image", RepositoryArgs.builder()
                .imageTagMutability("MUTABLE")
                .imageScanningConfiguration(RepositoryImageScanningConfigurationArgs.builder().scanOnPush(true).build())
                // The images are build output, rebuilt from source on demand: they must not block `pulumi destroy`.
                .forceDelete(true)
                .tags(tags)
                .build(), ChildOptions.of(this));

        new LifecyclePolicy(prefix + "-function-image-lifecycle", LifecyclePolicyArgs.builder()
                .repository(repository.name())
                .policy(RepositoryPolicies.lifecyclePolicy(settings.keepImages()))
                .build(), ChildOptions.of(this));

        var accessPolicy = new RepositoryPolicy(prefix + "-function-image-access", RepositoryPolicyArgs.builder()
                .repository(repository.name())
                .policy(repository.arn().applyValue(arn ->
                        RepositoryPolicies.accessPolicy(arn, functionNames, settings.publicPull())))
                .build(), ChildOptions.of(this));
        return new OwnRepository(repository, accessPolicy);
    }

    private Image buildAndPush(String prefix, ImageSettings settings, ImageBuild build, OwnRepository own) {
        var repository = own.repository();
        // A fresh token on every run: the one in ~/.docker/config.json may have expired (they last 12 h).
        Output<GetAuthorizationTokenResult> token = EcrFunctions.getAuthorizationToken(
                GetAuthorizationTokenArgs.builder().registryId(repository.registryId()).build());

        return new Image(prefix + "-function-image", ImageArgs.builder()
                .imageName(repository.repositoryUrl().applyValue(url -> url + ":" + TAG))
                .build(DockerBuildArgs.builder()
                        .context(build.context())
                        .dockerfile(build.dockerfile())
                        // One platform and the engine's BuildKit (no buildx attestations): a plain image
                        // manifest, which is what Lambda accepts; an image index is rejected.
                        .platform(settings.architecture().dockerPlatform())
                        .builderVersion(BuilderVersion.BuilderBuildKit)
                        .build())
                .registry(RegistryArgs.builder()
                        .server(repository.repositoryUrl().applyValue(FunctionImage::registryHost))
                        .username(token.applyValue(GetAuthorizationTokenResult::userName))
                        .password(token.applyValue(GetAuthorizationTokenResult::password).asSecret())
                        .build())
                .build(), ChildOptions.of(this));
    }

    /**
     * {@code <repositoryUrl>@<digest>}. Docker lists one repo digest per repository the image was ever
     * pushed to, so an image identical to another stack's would report that stack's repository:
     * only the digest is taken from it.
     */
    static String imageUri(String repositoryUrl, String repoDigest) {
        if (repoDigest == null || !repoDigest.contains("@sha256:")) {
            throw new IllegalStateException("docker reported no digest for the pushed image (repoDigest '"
                    + repoDigest + "'); was the push skipped?");
        }
        return repositoryUrl + repoDigest.substring(repoDigest.indexOf('@'));
    }

    static String registryHost(String repositoryUrl) {
        return repositoryUrl.substring(0, repositoryUrl.indexOf('/'));
    }
}
