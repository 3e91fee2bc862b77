{
  "targets": [
    {
      "target_name": "baomi_native",
      "sources": ["native/fastwalk.c"],
      "cflags": ["-O3", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
