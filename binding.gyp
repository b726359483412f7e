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
        'src/compressor.cc',
        'src/decompressor.cc',
        'src/parallel_compressor.cc',
        'src/bzip2/alloc_failure.cc',
        'src/bzip2/allocator.cc',
        'src/bzip2/bz_internal_error.cc',
        'src/bzip2/compress_stream.cc',
        'src/bzip2/decompress_stream.cc',
        'src/bzip2/output_buffer.cc',
        'src/bzip2/stream_decoder.cc',
        'src/codec/block_writer.cc',
        'src/codec/rotation_sort.cc',
        'src/codec/suffix_array.cc',
        'src/napi/addon_data.cc',
        'src/napi/args.cc',
        'src/napi/errors.cc',
        'src/napi/js_buffer.cc',
        'src/napi/reclaimer.cc',
        'src/parallel/bit_joiner.cc',
        'src/parallel/block_cutter.cc',
        'src/parallel/block_encoder.cc',
        'src/parallel/block_job.cc',
        'src/parallel/block_pipeline.cc',
        'src/parallel/magic_scanner.cc',
        'src/parallel/parallel_decoder.cc',
        'src/parallel/stage_profile.cc',
        'src/parallel/worker_pool.cc',
      ],
      # Includes name their layer: "napi/errors.h", "bzip2/compress_stream.h".
      'include_dirs': ['src'],
      'dependencies': [
        'deps/bzip2.gyp:bzip2',
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except",
      ],
      'defines': [
        # A literal define: node's config.gypi would override a napi_build_version variable.
        'NAPI_VERSION=8',
        'NODE_ADDON_API_DISABLE_DEPRECATED',
        'NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS',
        # A C++ exception that escapes a callback becomes a JS error instead of std::terminate.
        # Ours are caught first and coded (std::bad_alloc is ERR_BZ2_MEMORY); this is the net.
        'NODE_ADDON_API_CPP_EXCEPTIONS_ALL',
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
