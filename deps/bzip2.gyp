# libbzip2 1.0.8 as a static library of its own, so that its warnings are silenced here only and
# its symbols stay hidden inside our addon (the process may have the system libbz2 loaded too).
{
  'targets': [
    {
      'target_name': 'bzip2',
      'type': 'static_library',
      'sources': [
        'bzip2-1.0.8/blocksort.c',
        'bzip2-1.0.8/bzlib.c',
        'bzip2-1.0.8/compress.c',
        'bzip2-1.0.8/crctable.c',
        'bzip2-1.0.8/decompress.c',
        'bzip2-1.0.8/huffman.c',
        'bzip2-1.0.8/randtable.c',
      ],
      # No stdio: no FILE* API, and assertion failures call our bz_internal_error (src/).
      'defines': ['BZ_NO_STDIO'],
      'cflags': ['-w', '-fvisibility=hidden'],
      'cflags!': ['-fno-omit-frame-pointer'],
      'xcode_settings': {
        'GCC_SYMBOLS_PRIVATE_EXTERN': 'YES',
        'GCC_WARN_INHIBIT_ALL_WARNINGS': 'YES',
      },
      'msvs_settings': {'VCCLCompilerTool': {'WarningLevel': 0}},
      'direct_dependent_settings': {
        'include_dirs': ['bzip2-1.0.8'],
        'defines': ['BZ_NO_STDIO'],
      },
    },
  ],
}
