package dev.signet.oci.registry;

// awsEcrBasic against the STS and ECR fixture, pulling from a real distribution registry with the
// basic credentials ECR handed out.

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.signet.cloud.CloudHttp;
import dev.signet.cloud.aws.AwsFixture;
import dev.signet.cloud.azure.AzureFixture;
import dev.signet.deadline.Deadline;
import dev.signet.oci.Descriptor;
import dev.signet.oci.StoreException;
import dev.signet.reference.Reference;
import dev.signet.testkit.DistributionRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EcrCredentialsTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/signet-verifier";
  static final String NO_ECR_ROLE = "arn:aws:iam::123456789012:role/no-ecr";
  static final String SUBJECT = "system:serviceaccount:gatekeeper-system:ratify-admin";
  static final Clock CLOCK = Clock.systemUTC();

  @TempDir static Path dir;
  static AwsFixture aws;
  static DistributionRegistry registry;
  static Descriptor pushed;
  static Reference image;
  Map<String, String> env = new HashMap<>();
  Path tokenFile;

  @BeforeAll
  static void registryWithAnImage() throws Exception {
    aws = new AwsFixture(dir.resolve("aws"));
    aws.role(ROLE, SUBJECT, AwsFixture.ECR_TOKEN);
    aws.role(NO_ECR_ROLE, SUBJECT);
    aws.registryCredentials(DistributionRegistry.USER, DistributionRegistry.PASSWORD);
    registry = DistributionRegistry.start(dir.resolve("registry"), true, false);
    image = Reference.parse(registry.host() + "/team/app:v1");
    try (RegistryPusher pusher = RegistryPusher.withDockerConfig(
        registry.dockerConfig(DistributionRegistry.USER, DistributionRegistry.PASSWORD))) {
      pushed = pusher.image(image, "ecr test image");
    }
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
    if (aws != null) {
      aws.close();
    }
  }

  @BeforeEach
  void irsaVariables() throws Exception {
    tokenFile = dir.resolve("aws-token-" + System.nanoTime());
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AwsFixture.ISSUER, SUBJECT, Instant.now().plus(Duration.ofHours(1))));
    env.put("AWS_ROLE_ARN", ROLE);
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString());
    env.put("AWS_REGION", "us-west-2");
    env.put("AWS_ENDPOINT_URL_STS", aws.endpoint().toString());
    env.put("AWS_API_OVERRIDE_ENDPOINT", aws.endpoint().toString());
  }

  private EcrCredentials provider() throws Exception {
    return AuthProviders.awsEcr(AcrKeyVaultEndToEndTest.json("{\"name\":\"awsEcrBasic\"}"), env::get,
        CloudHttp.create(aws.clientSsl(), CLOCK));
  }

  @Test
  void the_role_of_the_service_account_pulls_with_the_password_ecr_hands_out() throws Exception {
    int before = aws.requestLog().size();
    EcrCredentials ecr = provider();
    try (RegistryStore store = RegistryStore.create(RegistryOptions.defaults(), ecr, CLOCK)) {
      Descriptor resolved = store.resolve(image, Deadline.after(CLOCK, Duration.ofSeconds(30)));
      assertThat(resolved.digest()).isEqualTo(pushed.digest());
      store.resolve(image, Deadline.after(CLOCK, Duration.ofSeconds(30)));
      assertThat(store.identity()).contains("awsEcrBasic").contains(ROLE).contains("us-west-2");
    }
    // One STS call and one (signature-checked) ECR call, reused for the second resolve.
    assertThat(aws.requestLog().subList(before, aws.requestLog().size()))
        .containsExactly("POST STS", "POST AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken");
    assertThat(ecr.credentialFor(registry.host()).toString()).doesNotContain(DistributionRegistry.PASSWORD);
  }

  @Test
  void a_role_without_ecr_permission_is_named_with_the_missing_action() throws Exception {
    env.put("AWS_ROLE_ARN", NO_ECR_ROLE);
    EcrCredentials ecr = provider();
    assertThatThrownBy(() -> ecr.credentialFor(registry.host()))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("HTTP 400 AccessDeniedException")
        .hasMessageContaining("the role " + NO_ECR_ROLE + " needs ecr:GetAuthorizationToken");
  }

  @Test
  void a_trust_policy_that_does_not_admit_the_service_account_says_so() throws Exception {
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AwsFixture.ISSUER, "system:serviceaccount:default:default", Instant.now().plus(Duration.ofHours(1))));
    String token = Files.readString(tokenFile);
    assertThatThrownBy(() -> provider().credentialFor(registry.host()))
        .hasMessageContaining("HTTP 403 AccessDenied")
        .hasMessageContaining("trust policy must allow sts:AssumeRoleWithWebIdentity")
        .message().doesNotContain(token);
  }

  @Test
  void a_token_sts_echoes_never_reaches_the_error() throws Exception {
    String token = Files.readString(tokenFile);
    aws.echoTokensInErrors(true);
    try {
      assertThatThrownBy(() -> provider().credentialFor(registry.host()))
          .hasMessageContaining("HTTP 400 InvalidIdentityToken")
          .hasMessageContaining("Couldn't parse the token " + dev.signet.http.Scrubber.REDACTED)
          .message()
          .doesNotContain(token)
          .doesNotContain(token.substring(0, 40));
    } finally {
      aws.echoTokensInErrors(false);
    }
  }

  @Test
  void an_expired_token_file_is_reported_and_a_rotated_one_works() throws Exception {
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AwsFixture.ISSUER, SUBJECT, Instant.now().minus(Duration.ofMinutes(5))));
    EcrCredentials ecr = provider();
    assertThatThrownBy(() -> ecr.credentialFor(registry.host()))
        .hasMessageContaining("ExpiredTokenException")
        .hasMessageContaining("service account token in " + tokenFile + " has expired");
    Files.writeString(tokenFile, AzureFixture.serviceAccountToken(
        AwsFixture.ISSUER, SUBJECT, Instant.now().plus(Duration.ofHours(1))));
    assertThat(ecr.credentialFor(registry.host())).isInstanceOf(Credential.Basic.class);
  }

  @Test
  void missing_irsa_variables_are_named() {
    env.remove("AWS_ROLE_ARN");
    assertThatThrownBy(this::provider)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AWS_ROLE_ARN is not set")
        .hasMessageContaining("eks.amazonaws.com/role-arn");
  }
}
