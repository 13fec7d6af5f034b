// Attaches a Sigstore bundle (DSSE over an in-toto statement, local P-256 key, no Rekor/Fulcio)
// to an image with the third-party client @sigstore/oci 0.4.0, which writes the referrers
// tag-schema index itself on registries without the referrers API.
// Usage: node sigstore-attach.js <host:port> <repo> <sha256:digest> <key.pem> <pub.pem>
// Credentials (optional): SIGNET_REGISTRY_USER / SIGNET_REGISTRY_PASSWORD in the environment.
// Modules come from NODE_PATH (a node_modules holding @sigstore/sign@3.1.0 and @sigstore/oci@0.4.0).
'use strict';
const fs = require('node:fs');
const crypto = require('node:crypto');
const { DSSEBundleBuilder } = require('@sigstore/sign');
const { attachArtifactToImage } = require('@sigstore/oci');
const { bundleToJSON } = require('@sigstore/bundle');

async function main() {
  const [host, repo, digest, keyFile, pubFile] = process.argv.slice(2);
  const user = process.env.SIGNET_REGISTRY_USER;
  const credentials = user ? { username: user, password: process.env.SIGNET_REGISTRY_PASSWORD } : null;
  const imageName = `${host}/${repo}`;
  const key = crypto.createPrivateKey(fs.readFileSync(keyFile));
  const publicKey = fs.readFileSync(pubFile, 'utf8');
  const signer = {
    sign: async (data) => ({
      signature: crypto.sign('sha256', data, key),
      key: { $case: 'publicKey', publicKey, hint: 'signet-test-key' },
    }),
  };
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: imageName, digest: { sha256: digest.replace('sha256:', '') } }],
    predicateType: 'https://sigstore.dev/cosign/sign/v1',
    predicate: {},
  };
  const bundle = await new DSSEBundleBuilder({ signer, witnesses: [] }).create({
    data: Buffer.from(JSON.stringify(statement)),
    type: 'application/vnd.in-toto+json',
  });
  const attached = await attachArtifactToImage({
    imageName,
    imageDigest: digest,
    credentials,
    artifact: Buffer.from(JSON.stringify(bundleToJSON(bundle))),
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope' },
  });
  console.log(JSON.stringify(attached));
}

main().catch((e) => {
  console.error('attach failed:', e && e.message);
  process.exitCode = 1;
});
