package dev.cdcrelay.stack.config;

import java.util.Objects;

/**
 * How the CrateDB password is handed to the function (the password itself stays a Pulumi secret).
 *
 * @param secretRecoveryDays how long a deleted secret can still be restored: 0 (deleted at once) or 7 to 30;
 *                           only used with {@link PasswordDelivery#SECRETSMANAGER}
 */
public record PasswordSettings(PasswordDelivery delivery, int secretRecoveryDays) {

    public static final int DEFAULT_SECRET_RECOVERY_DAYS = 7;

    public PasswordSettings {
        Objects.requireNonNull(delivery);
    }

    public boolean viaSecretsManager() {
        return delivery == PasswordDelivery.SECRETSMANAGER;
    }
}
