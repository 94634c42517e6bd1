package dev.baton.deploy.port;

/**
 * What a deploy or rollback tells people when it ends.
 *
 * @param version the version deployed, or rolled back to (null when unknown)
 * @param outcome succeeded, rolled_back, failed or deployed_with_failures
 * @param from the colour serving before (null on a first deploy)
 * @param to the colour it aimed at
 * @param failedStep the step that failed, or null
 * @param error why, secrets redacted, or null
 * @param url where the app is served
 */
public record Notice(String app, DeployKind kind, String release, String version, Outcome outcome, String from, String to, long millis,
                     String failedStep, String error, String url) {
    /** One line for people: {@code shop 1.4.2 deploy 20261124-1605 succeeded}. */
    public String title() {
        return app + (version == null ? "" : " " + version) + " " + kind.word() + " " + release + " " + outcome.word().replace('_', ' ');
    }

    public String text() {
        String colours = (from == null ? "(none)" : from) + " → " + to;
        String took = String.format("%.1f s", millis / 1000.0);
        return outcome == Outcome.SUCCEEDED ? colours + " in " + took + "; serving at " + url
                : outcome == Outcome.DEPLOYED_WITH_FAILURES ? "deployed: " + colours + " in " + took + ", serving at " + url
                        + "; then " + failedStep + " failed: " + (error == null ? "" : error.lines().findFirst().orElse(""))
                : "failed at " + failedStep + " after " + took + ": " + (error == null ? "" : error.lines().findFirst().orElse(""))
                        + (outcome == Outcome.ROLLED_BACK ? "; " + (from == null ? "nothing was serving" : from + " keeps serving") : "");
    }
}
