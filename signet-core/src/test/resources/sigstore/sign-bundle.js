// Signs an artifact with npm's @sigstore/sign (a third-party Sigstore client) and prints the
// Sigstore bundle as JSON. Input (argv[2], a JSON file): {"artifact": path, "mode": "message" |
// "dsse", "key": PKCS#8 PEM, "certificate": PEM or absent (then the public key is the material),
// "rekor": base URL of a Rekor-compatible log or absent, "tsa": base URL of an RFC 3161
// timestamp authority (Sigstore's timestamp API) or absent, "statement": path (dsse only)}.
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const {
  MessageSignatureBundleBuilder, DSSEBundleBuilder, RekorWitness, TSAWitness,
} = require('@sigstore/sign');
const { bundleToJSON } = require('@sigstore/bundle');

async function main() {
  const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const privateKey = crypto.createPrivateKey(input.key);
  const publicPem = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
  const signer = {
    async sign(data) {
      return {
        signature: crypto.sign('sha256', data, privateKey),
        key: input.certificate
          ? { $case: 'x509Certificate', certificate: input.certificate }
          : { $case: 'publicKey', publicKey: publicPem, hint: 'test-key' },
      };
    },
  };
  const witnesses = input.rekor
    ? [new RekorWitness({ rekorBaseURL: input.rekor, entryType: 'dsse', retry: 0, timeout: 20000 })]
    : [];
  if (input.tsa) {
    witnesses.push(new TSAWitness({ tsaBaseURL: input.tsa, retry: 0, timeout: 20000 }));
  }
  let bundle;
  if (input.mode === 'dsse') {
    const builder = new DSSEBundleBuilder({ signer, witnesses });
    bundle = await builder.create({
      data: fs.readFileSync(input.statement),
      type: 'application/vnd.in-toto+json',
    });
  } else {
    const builder = new MessageSignatureBundleBuilder({ signer, witnesses });
    bundle = await builder.create({ data: fs.readFileSync(input.artifact) });
  }
  process.stdout.write(JSON.stringify(bundleToJSON(bundle)));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
