/* libstdc++.so.6 for Bun's musl builds, when no musl libstdc++ is at hand
 * (Debian has none).
 *
 * Bun links GNU libstdc++ dynamically but uses only a few dozen of its
 * out-of-line functions (`readelf --dyn-syms bun`, the undefined symbols):
 * tree and list node links, the unordered containers' prime rehash policy and
 * hash, condition_variable, steady_clock, call_once's thread-local slots, the
 * terminate handler and the __throw_* helpers. This file implements those, each
 * the way libstdc++ 12 (libstdc++-v3/src) does it, against the same object
 * layouts (Itanium C++ ABI; libstdc++'s classes compiled for musl, so
 * pthread_cond_t and pthread_mutex_t are musl's). The one deliberate
 * difference: bucket counts are the least prime >= the request, not
 * libstdc++'s table's (the container keeps its own count; see next_prime).
 *
 * The ABI runtime part (__dynamic_cast and the three type_info vtables that
 * Bun copy-relocates, __cxa_demangle, __cxa_guard_*, __cxa_pure_virtual) is
 * LLVM libc++abi's own sources as zig 0.11 ships them, compiled beside this
 * file with default visibility. libc++abi's __dynamic_cast walks the same
 * Itanium type_info objects that GCC/clang emit for libstdc++; its vtables
 * have 10 slots where libstdc++'s have 11, so Bun's copy relocations (88 bytes)
 * take 8 bytes past each, from the middle of .data.rel.ro, never used: only
 * libc++abi's own code calls through these vtables.
 *
 * Bun is built without C++ exceptions (it imports no __cxa_throw, personality
 * routine nor _Unwind_*), so a libstdc++ __throw_* there can only end in
 * std::terminate: here it reports what it would have thrown, as libstdc++'s
 * verbose terminate handler does, and calls std::terminate.
 *
 * scripts/platforms/bun/shim-test.cpp checks these against g++'s libstdc++
 * (`node scripts/platforms/bun.js shim-test`).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define EXPORT __attribute__((visibility("default")))
#define NAME(mangled) __asm__(mangled)

/* ---- std::terminate, std::set_terminate, std::get_new_handler
 * ------------------------------ */

typedef void (*handler_t)(void);

static void default_terminate(void) {
  fputs("terminate called without an active exception\n", stderr);
  abort();
}

static _Atomic(handler_t) terminate_handler = default_terminate;
static _Atomic(handler_t) new_handler = (handler_t)0;

EXPORT _Noreturn void std_terminate(void) NAME("_ZSt9terminatev");
_Noreturn void std_terminate(void) {
  handler_t h = atomic_load(&terminate_handler);
  if (h)
    h();
  abort(); /* a handler must not return */
}

EXPORT handler_t std_set_terminate(handler_t h)
    NAME("_ZSt13set_terminatePFvvE");
handler_t std_set_terminate(handler_t h) {
  return atomic_exchange(&terminate_handler, h ? h : default_terminate);
}

EXPORT handler_t std_get_terminate(void) NAME("_ZSt13get_terminatev");
handler_t std_get_terminate(void) {
  return atomic_load(&terminate_handler);
}

EXPORT handler_t std_set_new_handler(handler_t h)
    NAME("_ZSt15set_new_handlerPFvvE");
handler_t std_set_new_handler(handler_t h) {
  return atomic_exchange(&new_handler, h);
}

EXPORT handler_t std_get_new_handler(void) NAME("_ZSt15get_new_handlerv");
handler_t std_get_new_handler(void) {
  return atomic_load(&new_handler);
}

/* operator delete(void*): the deleting destructors of libc++abi's type_info
 * classes name it. */
EXPORT void op_delete(void* p) NAME("_ZdlPv");
void op_delete(void* p) {
  free(p);
}

/* ---- the __throw_* helpers: uncaught, as everything thrown in an
 * -fno-exceptions program --- */

static _Noreturn void uncaught(const char* type, const char* what) {
  fprintf(stderr, "terminate called after throwing an instance of '%s'\n",
          type);
  if (what)
    fprintf(stderr, "  what():  %s\n", what);
  std_terminate();
}

#define THROW0(mangled, fn, type, what)         \
  EXPORT _Noreturn void fn(void) NAME(mangled); \
  void fn(void) { uncaught(type, what); }
#define THROW1(mangled, fn, type)                        \
  EXPORT _Noreturn void fn(const char* s) NAME(mangled); \
  void fn(const char* s) { uncaught(type, s); }

THROW0("_ZSt17__throw_bad_allocv",
       throw_bad_alloc,
       "std::bad_alloc",
       "std::bad_alloc")
THROW0("_ZSt28__throw_bad_array_new_lengthv",
       throw_bad_array_new_length,
       "std::bad_array_new_length",
       "std::bad_array_new_length")
THROW0("_ZSt25__throw_bad_function_callv",
       throw_bad_function_call,
       "std::bad_function_call",
       "bad_function_call")
THROW1("_ZSt19__throw_logic_errorPKc", throw_logic_error, "std::logic_error")
THROW1("_ZSt20__throw_length_errorPKc", throw_length_error, "std::length_error")
THROW1("_ZSt20__throw_out_of_rangePKc", throw_out_of_range, "std::out_of_range")
THROW1("_ZSt24__throw_invalid_argumentPKc",
       throw_invalid_argument,
       "std::invalid_argument")
THROW1("_ZSt19__throw_range_errorPKc", throw_range_error, "std::range_error")

EXPORT _Noreturn void throw_out_of_range_fmt(const char* fmt, ...)
    NAME("_ZSt24__throw_out_of_range_fmtPKcz");
void throw_out_of_range_fmt(const char* fmt, ...) {
  char what[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  uncaught("std::out_of_range", what);
}

EXPORT _Noreturn void throw_system_error(int e)
    NAME("_ZSt20__throw_system_errori");
void throw_system_error(int e) {
  uncaught("std::system_error", strerror(e));
}

EXPORT _Noreturn void cxa_bad_typeid(void) NAME("__cxa_bad_typeid");
void cxa_bad_typeid(void) {
  uncaught("std::bad_typeid", "std::bad_typeid");
}

EXPORT _Noreturn void cxa_bad_cast(void) NAME("__cxa_bad_cast");
void cxa_bad_cast(void) {
  uncaught("std::bad_cast", "std::bad_cast");
}

/* std::__glibcxx_assert_fail(file, line, function, condition):
 * _GLIBCXX_ASSERTIONS. */
EXPORT _Noreturn void glibcxx_assert_fail(const char* file,
                                          int line,
                                          const char* function,
                                          const char* condition)
    NAME("_ZSt21__glibcxx_assert_failPKciS0_S0_");
void glibcxx_assert_fail(const char* file,
                         int line,
                         const char* function,
                         const char* condition) {
  if (file && function && condition)
    fprintf(stderr, "%s:%d: %s: Assertion '%s' failed.\n", file, line, function,
            condition);
  else if (function)
    fprintf(stderr, "%s: Undefined behavior detected.\n", function);
  abort();
}

/* ---- std::_Rb_tree_* (libstdc++-v3/src/c++98/tree.cc)
 * ------------------------------------ */

enum { RED = 0, BLACK = 1 };
typedef struct rb_node {
  int color; /* enum _Rb_tree_color */
  struct rb_node *parent, *left, *right;
} rb_node;

static rb_node* rb_minimum(rb_node* x) {
  while (x->left)
    x = x->left;
  return x;
}
static rb_node* rb_maximum(rb_node* x) {
  while (x->right)
    x = x->right;
  return x;
}

EXPORT rb_node* rb_increment(rb_node* x)
    NAME("_ZSt18_Rb_tree_incrementPSt18_Rb_tree_node_base");
rb_node* rb_increment(rb_node* x) {
  if (x->right) {
    x = x->right;
    while (x->left)
      x = x->left;
  } else {
    rb_node* y = x->parent;
    while (x == y->right) {
      x = y;
      y = y->parent;
    }
    if (x->right != y)
      x = y;
  }
  return x;
}

/* The const overload, same code. */
EXPORT rb_node* rb_increment_c(rb_node* x)
    NAME("_ZSt18_Rb_tree_incrementPKSt18_Rb_tree_node_base");
rb_node* rb_increment_c(rb_node* x) {
  return rb_increment(x);
}

EXPORT rb_node* rb_decrement(rb_node* x)
    NAME("_ZSt18_Rb_tree_decrementPSt18_Rb_tree_node_base");
rb_node* rb_decrement(rb_node* x) {
  if (x->color == RED && x->parent->parent == x) {
    x = x->right; /* the header: end() - 1 is the rightmost */
  } else if (x->left) {
    rb_node* y = x->left;
    while (y->right)
      y = y->right;
    x = y;
  } else {
    rb_node* y = x->parent;
    while (x == y->left) {
      x = y;
      y = y->parent;
    }
    x = y;
  }
  return x;
}

EXPORT rb_node* rb_decrement_c(rb_node* x)
    NAME("_ZSt18_Rb_tree_decrementPKSt18_Rb_tree_node_base");
rb_node* rb_decrement_c(rb_node* x) {
  return rb_decrement(x);
}

static void rotate_left(rb_node* x, rb_node** root) {
  rb_node* y = x->right;
  x->right = y->left;
  if (y->left)
    y->left->parent = x;
  y->parent = x->parent;
  if (x == *root)
    *root = y;
  else if (x == x->parent->left)
    x->parent->left = y;
  else
    x->parent->right = y;
  y->left = x;
  x->parent = y;
}

static void rotate_right(rb_node* x, rb_node** root) {
  rb_node* y = x->left;
  x->left = y->right;
  if (y->right)
    y->right->parent = x;
  y->parent = x->parent;
  if (x == *root)
    *root = y;
  else if (x == x->parent->right)
    x->parent->right = y;
  else
    x->parent->left = y;
  y->right = x;
  x->parent = y;
}

EXPORT void rb_insert_and_rebalance(_Bool insert_left,
                                    rb_node* x,
                                    rb_node* p,
                                    rb_node* header)
    NAME("_ZSt29_Rb_tree_insert_and_rebalancebPSt18_Rb_tree_node_baseS0_RS_");
void rb_insert_and_rebalance(_Bool insert_left,
                             rb_node* x,
                             rb_node* p,
                             rb_node* header) {
  rb_node** root = &header->parent;
  x->parent = p;
  x->left = NULL;
  x->right = NULL;
  x->color = RED;
  /* The first node is always inserted left. */
  if (insert_left) {
    p->left = x; /* also makes leftmost = x when p == header */
    if (p == header) {
      header->parent = x;
      header->right = x;
    } else if (p == header->left) {
      header->left = x;
    }
  } else {
    p->right = x;
    if (p == header->right)
      header->right = x;
  }
  while (x != *root && x->parent->color == RED) {
    rb_node* xpp = x->parent->parent;
    if (x->parent == xpp->left) {
      rb_node* y = xpp->right;
      if (y && y->color == RED) {
        x->parent->color = BLACK;
        y->color = BLACK;
        xpp->color = RED;
        x = xpp;
      } else {
        if (x == x->parent->right) {
          x = x->parent;
          rotate_left(x, root);
        }
        x->parent->color = BLACK;
        xpp->color = RED;
        rotate_right(xpp, root);
      }
    } else {
      rb_node* y = xpp->left;
      if (y && y->color == RED) {
        x->parent->color = BLACK;
        y->color = BLACK;
        xpp->color = RED;
        x = xpp;
      } else {
        if (x == x->parent->left) {
          x = x->parent;
          rotate_right(x, root);
        }
        x->parent->color = BLACK;
        xpp->color = RED;
        rotate_left(xpp, root);
      }
    }
  }
  (*root)->color = BLACK;
}

EXPORT rb_node* rb_rebalance_for_erase(rb_node* z, rb_node* header)
    NAME("_ZSt28_Rb_tree_rebalance_for_erasePSt18_Rb_tree_node_baseRS_");
rb_node* rb_rebalance_for_erase(rb_node* z, rb_node* header) {
  rb_node** root = &header->parent;
  rb_node** leftmost = &header->left;
  rb_node** rightmost = &header->right;
  rb_node* y = z;
  rb_node* x = NULL;
  rb_node* x_parent = NULL;

  if (y->left == NULL) {
    x = y->right; /* z has at most one non-null child; y == z; x might be null
                   */
  } else if (y->right == NULL) {
    x = y->left; /* z has exactly one non-null child; y == z */
  } else {
    y = y->right; /* two children: y is z's successor; x might be null */
    while (y->left)
      y = y->left;
    x = y->right;
  }
  if (y != z) {
    /* relink y in place of z; y is z's successor */
    z->left->parent = y;
    y->left = z->left;
    if (y != z->right) {
      x_parent = y->parent;
      if (x)
        x->parent = y->parent;
      y->parent->left = x; /* y must be a child of left */
      y->right = z->right;
      z->right->parent = y;
    } else {
      x_parent = y;
    }
    if (*root == z)
      *root = y;
    else if (z->parent->left == z)
      z->parent->left = y;
    else
      z->parent->right = y;
    y->parent = z->parent;
    int c = y->color;
    y->color = z->color;
    z->color = c;
    y = z; /* y now points to the node to be actually deleted */
  } else {
    x_parent = y->parent;
    if (x)
      x->parent = y->parent;
    if (*root == z)
      *root = x;
    else if (z->parent->left == z)
      z->parent->left = x;
    else
      z->parent->right = x;
    if (*leftmost == z) {
      if (z->right == NULL)    /* z->left must be null also */
        *leftmost = z->parent; /* makes leftmost == header if z == root */
      else
        *leftmost = rb_minimum(x);
    }
    if (*rightmost == z) {
      if (z->left == NULL) /* z->right must be null also */
        *rightmost = z->parent;
      else /* x == z->left */
        *rightmost = rb_maximum(x);
    }
  }
  if (y->color != RED) {
    while (x != *root && (x == NULL || x->color == BLACK)) {
      if (x == x_parent->left) {
        rb_node* w = x_parent->right;
        if (w->color == RED) {
          w->color = BLACK;
          x_parent->color = RED;
          rotate_left(x_parent, root);
          w = x_parent->right;
        }
        if ((w->left == NULL || w->left->color == BLACK) &&
            (w->right == NULL || w->right->color == BLACK)) {
          w->color = RED;
          x = x_parent;
          x_parent = x_parent->parent;
        } else {
          if (w->right == NULL || w->right->color == BLACK) {
            w->left->color = BLACK;
            w->color = RED;
            rotate_right(w, root);
            w = x_parent->right;
          }
          w->color = x_parent->color;
          x_parent->color = BLACK;
          if (w->right)
            w->right->color = BLACK;
          rotate_left(x_parent, root);
          break;
        }
      } else {
        rb_node* w = x_parent->left;
        if (w->color == RED) {
          w->color = BLACK;
          x_parent->color = RED;
          rotate_right(x_parent, root);
          w = x_parent->left;
        }
        if ((w->right == NULL || w->right->color == BLACK) &&
            (w->left == NULL || w->left->color == BLACK)) {
          w->color = RED;
          x = x_parent;
          x_parent = x_parent->parent;
        } else {
          if (w->left == NULL || w->left->color == BLACK) {
            w->right->color = BLACK;
            w->color = RED;
            rotate_left(w, root);
            w = x_parent->left;
          }
          w->color = x_parent->color;
          x_parent->color = BLACK;
          if (w->left)
            w->left->color = BLACK;
          rotate_right(x_parent, root);
          break;
        }
      }
    }
    if (x)
      x->color = BLACK;
  }
  return y;
}

/* ---- std::__detail::_List_node_base (libstdc++-v3/src/c++98/list.cc)
 * ---------------------- */

typedef struct list_node {
  struct list_node *next, *prev;
} list_node;

EXPORT void list_hook(list_node* self, list_node* position)
    NAME("_ZNSt8__detail15_List_node_base7_M_hookEPS0_");
void list_hook(list_node* self, list_node* position) {
  self->next = position;
  self->prev = position->prev;
  position->prev->next = self;
  position->prev = self;
}

EXPORT void list_unhook(list_node* self)
    NAME("_ZNSt8__detail15_List_node_base9_M_unhookEv");
void list_unhook(list_node* self) {
  list_node* next = self->next;
  list_node* prev = self->prev;
  prev->next = next;
  next->prev = prev;
}

/* ---- std::__detail::_Prime_rehash_policy
 * (libstdc++-v3/src/c++11/hashtable_c++0x.cc) ------ */

typedef struct {
  float max_load_factor;
  size_t next_resize; /* mutable */
} rehash_policy;

typedef struct {
  _Bool first; /* std::pair<bool, std::size_t>: two eightbytes, returned in two
                  registers */
  size_t second;
} bool_size_pair;

/* floor() of a non-negative double, as a size_t (saturating): no libm needed.
 */
static size_t floor_size(double x) {
  if (!(x > 0))
    return 0;
  if (x >= 18446744073709551615.0)
    return (size_t)-1;
  return (size_t)x; /* truncation is floor for x >= 0 */
}

/* The least prime >= n. libstdc++ takes it from a table of 256 primes growing
   by about 1.1; any bucket count works for the container (the hashtable keeps
   its own count), and this one wastes nothing. Above 2^40 (never reached in
   practice) the odd n itself is good enough. */
static size_t next_prime(size_t n) {
  if (n <= 2)
    return 2;
  if (n > ((size_t)1 << 40))
    return n | 1;
  for (size_t c = n | 1;; c += 2) {
    int prime = 1;
    for (size_t d = 3; d * d <= c; d += 2) {
      if (c % d == 0) {
        prime = 0;
        break;
      }
    }
    if (prime)
      return c;
  }
}

EXPORT size_t next_bkt(const rehash_policy* self, size_t n)
    NAME("_ZNKSt8__detail20_Prime_rehash_policy11_M_next_bktEm");
size_t next_bkt(const rehash_policy* self, size_t n) {
  static const unsigned char fast_bkt[] = {2, 2,  2,  3,  5,  5,  7,
                                           7, 11, 11, 11, 11, 13, 13};
  rehash_policy* p = (rehash_policy*)self;
  if (n < sizeof fast_bkt) {
    if (n == 0)
      return 1; /* keep next_resize 0: the first insertion allocates */
    p->next_resize = floor_size(fast_bkt[n] * (double)p->max_load_factor);
    return fast_bkt[n];
  }
  size_t bkt = next_prime(n);
  p->next_resize = floor_size(bkt * (double)p->max_load_factor);
  return bkt;
}

EXPORT bool_size_pair
need_rehash(const rehash_policy* self, size_t n_bkt, size_t n_elt, size_t n_ins)
    NAME("_ZNKSt8__detail20_Prime_rehash_policy14_M_need_rehashEmmm");
bool_size_pair need_rehash(const rehash_policy* self,
                           size_t n_bkt,
                           size_t n_elt,
                           size_t n_ins) {
  rehash_policy* p = (rehash_policy*)self;
  bool_size_pair no = {0, 0};
  if (n_elt + n_ins > p->next_resize) {
    /* next_resize 0: nothing allocated yet; start with 11 buckets */
    size_t want = n_elt + n_ins;
    if (p->next_resize == 0 && want < 11)
      want = 11;
    double min_bkts = want / (double)p->max_load_factor;
    if (min_bkts >= n_bkt) {
      size_t a = floor_size(min_bkts) + 1;
      size_t b = n_bkt * 2; /* _S_growth_factor */
      bool_size_pair yes = {1, next_bkt(self, a > b ? a : b)};
      return yes;
    }
    p->next_resize = floor_size(n_bkt * (double)p->max_load_factor);
    return no;
  }
  return no;
}

/* ---- std::_Hash_bytes: MurmurHash64A, as libstdc++-v3/libsupc++/hash_bytes.cc
 * -------------- */

static inline uint64_t shift_mix(uint64_t v) {
  return v ^ (v >> 47);
}

EXPORT size_t hash_bytes(const void* ptr, size_t len, size_t seed)
    NAME("_ZSt11_Hash_bytesPKvmm");
size_t hash_bytes(const void* ptr, size_t len, size_t seed) {
  const uint64_t mul =
      (((uint64_t)0xc6a4a793UL) << 32UL) + (uint64_t)0x5bd1e995UL;
  const unsigned char* buf = ptr;
  const size_t len_aligned = len & ~(size_t)0x7;
  const unsigned char* end = buf + len_aligned;
  uint64_t hash = seed ^ (len * mul);
  for (const unsigned char* p = buf; p != end; p += 8) {
    uint64_t v;
    memcpy(&v, p, 8);
    const uint64_t data = shift_mix(v * mul) * mul;
    hash ^= data;
    hash *= mul;
  }
  if ((len & 0x7) != 0) {
    size_t n = len & 0x7;
    uint64_t data = 0;
    --n;
    do
      data = (data << 8) + end[n];
    while (n-- != 0);
    hash ^= data;
    hash *= mul;
  }
  hash = shift_mix(hash) * mul;
  hash = shift_mix(hash);
  return hash;
}

/* Same, FNV-1a: std::_Fnv_hash_bytes, for completeness. */
EXPORT size_t fnv_hash_bytes(const void* ptr, size_t len, size_t hash)
    NAME("_ZSt15_Fnv_hash_bytesPKvmm");
size_t fnv_hash_bytes(const void* ptr, size_t len, size_t hash) {
  const unsigned char* p = ptr;
  for (; len; --len) {
    hash ^= (size_t)*p++;
    hash *= (size_t)1099511628211ULL;
  }
  return hash;
}

/* ---- std::condition_variable: a pthread_cond_t (__gthread_cond_t)
 * ------------------------ */

EXPORT void cv_ctor(pthread_cond_t* cv) NAME("_ZNSt18condition_variableC1Ev");
void cv_ctor(pthread_cond_t* cv) {
  /* libstdc++ initializes it with PTHREAD_COND_INITIALIZER; musl's is all
   * zeroes */
  pthread_cond_t init = PTHREAD_COND_INITIALIZER;
  *cv = init;
}
EXPORT void cv_ctor2(pthread_cond_t* cv) NAME("_ZNSt18condition_variableC2Ev");
void cv_ctor2(pthread_cond_t* cv) {
  cv_ctor(cv);
}

EXPORT void cv_dtor(pthread_cond_t* cv) NAME("_ZNSt18condition_variableD1Ev");
void cv_dtor(pthread_cond_t* cv) {
  pthread_cond_destroy(cv);
}
EXPORT void cv_dtor2(pthread_cond_t* cv) NAME("_ZNSt18condition_variableD2Ev");
void cv_dtor2(pthread_cond_t* cv) {
  pthread_cond_destroy(cv);
}

/* std::unique_lock<std::mutex>: { std::mutex *_M_device; bool _M_owns; };
   std::mutex is a pthread_mutex_t at offset 0. */
typedef struct {
  pthread_mutex_t* device;
  _Bool owns;
} unique_lock;

EXPORT void cv_wait(pthread_cond_t* cv, unique_lock* lock)
    NAME("_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE");
void cv_wait(pthread_cond_t* cv, unique_lock* lock) {
  pthread_cond_wait(
      cv, lock->device); /* libstdc++ 12: noexcept, the result only asserted */
}

EXPORT void cv_notify_one(pthread_cond_t* cv)
    NAME("_ZNSt18condition_variable10notify_oneEv");
void cv_notify_one(pthread_cond_t* cv) {
  pthread_cond_signal(cv);
}

EXPORT void cv_notify_all(pthread_cond_t* cv)
    NAME("_ZNSt18condition_variable10notify_allEv");
void cv_notify_all(pthread_cond_t* cv) {
  pthread_cond_broadcast(cv);
}

/* ---- std::chrono::steady_clock::now(): a time_point of int64 nanoseconds
 * ---------------- */

EXPORT int64_t steady_now(void) NAME("_ZNSt6chrono3_V212steady_clock3nowEv");
int64_t steady_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

EXPORT int64_t system_now(void) NAME("_ZNSt6chrono3_V212system_clock3nowEv");
int64_t system_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- std::call_once (libstdc++-v3/src/c++11/mutex.cc, with TLS)
 * ------------------------ */

EXPORT __thread void* once_callable NAME("_ZSt15__once_callable");
__thread void* once_callable;
EXPORT __thread void (*once_call)(void) NAME("_ZSt11__once_call");
__thread void (*once_call)(void);

/* pthread_once's routine: the caller stored the function in __once_call (and
   its state in
   __once_callable). */
EXPORT void __once_proxy(void);
void __once_proxy(void) {
  once_call();
}
