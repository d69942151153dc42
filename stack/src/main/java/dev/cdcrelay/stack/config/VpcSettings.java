package dev.cdcrelay.stack.config;

import java.util.List;

/**
 * Where the function runs when it must reach a CrateDB inside a VPC: its network interfaces go into
 * these subnets with these security groups. Absent (the default), the function runs in Lambda's own
 * network and reaches CrateDB over the internet.
 */
public record VpcSettings(List<String> subnetIds, List<String> securityGroupIds) {

    public VpcSettings {
        subnetIds = List.copyOf(subnetIds);
        securityGroupIds = List.copyOf(securityGroupIds);
        if (subnetIds.isEmpty() || securityGroupIds.isEmpty()) {
            throw new IllegalArgumentException("a VPC placement needs at least one subnet and one security group");
        }
    }
}
