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

import java.util.Map;

/** The ECR repository, its policies, and the function image built locally and pushed into it. */
public final class FunctionImage extends ComponentResource {

    /** Only the digest matters to Lambda; the tag just names the newest push for people. */
    static final String TAG = "latest";

    /** Resource policy the function's creation must wait for: Lambda checks it can pull. */
    public final Resource accessPolicy;
    public final Output<String> repositoryUrl;
    public final Output<String> repositoryArn;
    /** {@code <repository>@sha256:...} as docker reported it after the push. */
    public final Output<String> repoDigest;
    /** The pushed image in this stack's repository, by digest, so every new build rolls out. */
    public final Output<String> imageUri;

    public FunctionImage(String prefix, ImageSettings settings, ImageBuild build, String functionName,
                         Map<String, String> tags, Resource parent) {
        super("cdcrelay:components:FunctionImage", prefix + "-image", ChildOptions.component(parent));

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

        this.accessPolicy = new RepositoryPolicy(prefix + "-function-image-access", RepositoryPolicyArgs.builder()
                .repository(repository.name())
                .policy(repository.arn().applyValue(arn ->
                        RepositoryPolicies.accessPolicy(arn, functionName, settings.publicPull())))
                .build(), ChildOptions.of(this));

        // A fresh token on every run: the one in ~/.docker/config.json may have expired (they last 12 h).
        Output<GetAuthorizationTokenResult> token = EcrFunctions.getAuthorizationToken(
                GetAuthorizationTokenArgs.builder().registryId(repository.registryId()).build());

        var image = new Image(prefix + "-function-image", ImageArgs.builder()
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

        this.repositoryUrl = repository.repositoryUrl();
        this.repositoryArn = repository.arn();
        this.repoDigest = image.repoDigest();
        this.imageUri = Output.tuple(repository.repositoryUrl(), image.repoDigest())
                .applyValue(urlAndDigest -> imageUri(urlAndDigest.t1, urlAndDigest.t2));
        registerOutputs(Map.of("repositoryUrl", repositoryUrl, "repoDigest", repoDigest, "imageUri", imageUri));
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
