{
  'variables': {
    # Set to 1 (npm run build --strict=1 or node-gyp --strict=1) to make warnings errors in CI;
    # never for users building from source.
    'strict%': 0,
  },
  'targets': [
    {
      'target_name': 'bz2_napi',
      'sources': [
        'src/addon.cc',
        'src/addon_data.cc',
        'src/allocator.cc',
        'src/args.cc',
        'src/bit_joiner.cc',
        'src/block_cutter.cc',
        'src/block_encoder.cc',
        'src/block_pipeline.cc',
        'src/bz_internal_error.cc',
        'src/compress_stream.cc',
        'src/compressor.cc',
        'src/decompress_stream.cc',
        'src/decompressor.cc',
        'src/errors.cc',
        'src/js_buffer.cc',
        'src/output_buffer.cc',
        'src/parallel_compressor.cc',
        'src/reclaimer.cc',
        'src/stream_decoder.cc',
        'src/worker_pool.cc',
      ],
      'dependencies': [
        'deps/bzip2.gyp:bzip2',
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except",
      ],
      'defines': [
        # A literal define: node's config.gypi would override a napi_build_version variable.
        'NAPI_VERSION=8',
        'NODE_ADDON_API_DISABLE_DEPRECATED',
        'NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS',
      ],
      'cflags': ['-fvisibility=hidden', '-Wall', '-Wextra'],
      'cflags_cc': ['-std=c++17', '-fvisibility=hidden', '-Wall', '-Wextra'],
      'conditions': [
        ['strict==1', {'cflags_cc': ['-Werror']}],
      ],
      'xcode_settings': {
        'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
        'GCC_SYMBOLS_PRIVATE_EXTERN': 'YES',
        'MACOSX_DEPLOYMENT_TARGET': '10.15',
      },
    },
  ],
}
