package io.cairn.server.compat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads etcdctl's {@code -w json} output: Go's encoding/json of the response structs, where bytes
 * are base64, zero values are left out, uint64 ids are plain (possibly > 2^63) numbers, and a
 * txn's oneof responses are wrapped as {@code {"Response":{"ResponsePut":{...}}}}.
 */
final class EtcdctlJson {
  private EtcdctlJson() {}

  /** A number field, 0 when etcdctl left it out (Go omits zero values). */
  static long number(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value == null ? 0 : Long.parseUnsignedLong(value.getAsBigInteger().toString());
  }

  static boolean flag(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value != null && value.getAsBoolean();
  }

  /** A bytes field (base64 in the JSON) as UTF-8 text, empty when left out. */
  static String text(JsonObject object, String field) {
    JsonElement value = object.get(field);
    return value == null ? "" : new String(Base64.getDecoder().decode(value.getAsString()), StandardCharsets.UTF_8);
  }

  static long revision(JsonObject response) {
    return number(response.getAsJsonObject("header"), "revision");
  }

  /** The key-values of a range response, in order. */
  static List<JsonObject> kvs(JsonObject response) {
    List<JsonObject> kvs = new ArrayList<>();
    JsonArray array = response.getAsJsonArray("kvs");
    if (array != null) {
      array.forEach(kv -> kvs.add(kv.getAsJsonObject()));
    }
    return kvs;
  }

  static List<String> keys(JsonObject response) {
    return kvs(response).stream().map(kv -> text(kv, "key")).toList();
  }

  static List<String> values(JsonObject response) {
    return kvs(response).stream().map(kv -> text(kv, "value")).toList();
  }

  /** The {@code index}-th response of a txn, unwrapped: {@code kind} is e.g. "ResponsePut". */
  static JsonObject txnResponse(JsonObject txn, int index, String kind) {
    JsonObject wrapped = txn.getAsJsonArray("responses").get(index).getAsJsonObject().getAsJsonObject("Response");
    JsonObject response = wrapped.getAsJsonObject(kind);
    if (response == null) {
      throw new AssertionError("txn response " + index + " is not a " + kind + ": " + wrapped);
    }
    return response;
  }
}
