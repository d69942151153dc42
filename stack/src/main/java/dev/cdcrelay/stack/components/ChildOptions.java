package dev.cdcrelay.stack.components;

import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;

/** Resource options for children, so each one shows up under its component in `pulumi up`. */
final class ChildOptions {

    private ChildOptions() {
    }

    static CustomResourceOptions of(Resource parent, Resource... dependsOn) {
        return CustomResourceOptions.builder().parent(parent).dependsOn(dependsOn).build();
    }

    static ComponentResourceOptions component(Resource parent) {
        return ComponentResourceOptions.builder().parent(parent).build();
    }
}
