package ratifyverification

# Gatekeeper's external_data builtin, which plain OPA lacks, done the way Gatekeeper does it: one
# ProviderRequest with the keys to the Provider's URL over TLS (trusting the Provider's caBundle),
# the answer's items split into responses [key, value] and errors [key, error], and a failed call or
# the provider's systemError reported as system_error.
external_data(request) = result {
  provider := data.providers[request.provider]
  answer := http.send({
    "method": "POST",
    "url": provider.url,
    "headers": {"Content-Type": "application/json"},
    "body": {"apiVersion": "externaldata.gatekeeper.sh/v1beta1", "kind": "ProviderRequest", "request": {"keys": request.keys}},
    "tls_ca_cert": provider.caBundle,
    "timeout": "20s",
    "raise_error": false,
    "force_json_decode": true,
  })
  items := object.get(object.get(object.get(answer, "body", {}), "response", {}), "items", [])
  result := {
    "responses": [[item.key, item.value] | item := items[_]; object.get(item, "error", "") == ""],
    "errors": [[item.key, item.error] | item := items[_]; object.get(item, "error", "") != ""],
    "status_code": answer.status_code,
    "system_error": system_error(answer),
  }
}

system_error(answer) = message {
  answer.status_code != 200
  message := sprintf("failed to send external data request: status %v: %v", [answer.status_code, object.get(answer, "error", object.get(answer, "body", ""))])
} else = message {
  message := object.get(object.get(answer.body, "response", {}), "systemError", "")
}
