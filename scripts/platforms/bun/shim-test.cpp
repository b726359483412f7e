// `node scripts/platforms/bun.js shim-test`: exercises, through the host g++'s
// libstdc++ headers, the out-of-line libstdc++ functions that
// bun/libstdcxx-shim.c replaces (and the libc++abi part:
// __dynamic_cast over single, multiple and virtual inheritance, __cxa_demangle,
// __cxa_guard_*); run once plain and once with the shim (built for glibc)
// LD_PRELOADed: the outputs must match.
#include <cxxabi.h>
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <new>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

struct A {
  virtual ~A() {}
  int a = 1;
};
struct B : A {
  int b = 2;
};
struct C {
  virtual ~C() {}
  int c = 3;
};
struct D : B, C {
  int d = 4;
};
struct E : virtual A {
  int e = 5;
};
struct F : E, virtual A {
  int f = 6;
};

static unsigned long long mix = 1469598103934665603ull;
static void feed(unsigned long long v) {
  mix = (mix ^ v) * 1099511628211ull;
}

int main() {
  std::mt19937_64 rng(42);
  // red-black tree: random inserts and erases, checked against a sorted vector
  std::set<int> s;
  std::multimap<int, int> mm;
  std::vector<int> ref;
  for (int i = 0; i < 200000; i++) {
    int k = rng() % 5000;
    if (rng() % 3) {
      if (s.insert(k).second)
        ref.insert(std::lower_bound(ref.begin(), ref.end(), k), k);
      mm.emplace(k, i);
    } else {
      if (s.erase(k))
        ref.erase(std::lower_bound(ref.begin(), ref.end(), k));
      auto it = mm.find(k);
      if (it != mm.end())
        mm.erase(it);
    }
    if (i % 10000 == 0) {
      if (!std::equal(s.begin(), s.end(), ref.begin(), ref.end())) {
        puts("set mismatch");
        return 1;
      }
      std::vector<int> back(s.rbegin(), s.rend());
      std::reverse(back.begin(), back.end());
      if (back != ref) {
        puts("reverse mismatch");
        return 1;
      }
    }
  }
  feed(s.size());
  feed(mm.size());
  for (int v : s)
    feed(v);
  for (auto it = mm.rbegin(); it != mm.rend(); ++it) {
    feed(it->first);
    feed(it->second);
  }
  std::map<int, int> om;
  for (int i = 0; i < 1000; i++)
    om[(i * 7919) % 1009] = i;
  for (auto it = om.begin(); it != om.end(); ++it) {
    it->second += 1;
    feed(it->first ^ it->second);
  }
  // list
  std::list<int> l;
  for (int i = 0; i < 1000; i++) {
    if (i % 2)
      l.push_back(i);
    else
      l.push_front(i);
  }
  for (auto it = l.begin(); it != l.end();) {
    if (*it % 3 == 0)
      it = l.erase(it);
    else
      ++it;
  }
  l.reverse();
  l.sort();
  for (int v : l)
    feed(v);
  feed(l.size());
  // hashtables and std::hash<std::string> (_Hash_bytes)
  std::unordered_map<std::string, int> um;
  std::unordered_set<long> us;
  for (int i = 0; i < 100000; i++) {
    um[std::to_string(rng() % 20000)] += i;
    us.insert(rng() % 50000);
    if (i % 7 == 0)
      us.erase(rng() % 50000);
  }
  std::vector<std::pair<std::string, int>> items(um.begin(), um.end());
  std::sort(items.begin(), items.end());
  for (auto& p : items) {
    feed(p.second);
    feed(p.first.size());
  }
  feed(um.size());
  feed(us.size());
  std::vector<long> uv(us.begin(), us.end());
  std::sort(uv.begin(), uv.end());
  for (long v : uv)
    feed(v);
  for (const char* str : {"", "a", "abcdefg", "abcdefgh", "abcdefghijklmnopq",
                          "the quick brown fox"})
    printf("hash(\"%s\") = %zx\n", str, std::hash<std::string>{}(str));
  um.rehash(12345);
  feed(um.bucket_count() >= 12345);
  um.reserve(100);
  feed(um.size());
  // call_once, condition_variable, steady_clock, threads
  std::once_flag once;
  int calls = 0;
  std::mutex m;
  std::condition_variable cv;
  int ready = 0;
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; t++)
    ts.emplace_back([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      std::call_once(once, [&] { calls++; });
      std::unique_lock<std::mutex> lk(m);
      ready++;
      cv.notify_all();
    });
  {
    std::unique_lock<std::mutex> lk(m);
    cv.wait(lk, [&] { return ready == 4; });
  }
  for (auto& t : ts)
    t.join();
  {
    std::unique_lock<std::mutex> lk(m);
    cv.notify_one();
  }
  std::terminate_handler previous = std::set_terminate(nullptr);
  std::set_terminate(previous);
  printf("terminate handler kept: %d; new handler: %s\n",
         std::get_terminate() == previous,
         std::get_new_handler() ? "set" : "none");
  auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  auto dt = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - t0)
                .count();
  printf("call_once ran %d time(s); ready %d; slept >= 20 ms: %d\n", calls,
         ready, dt >= 20 && dt < 2000);
  // dynamic_cast through the type_info classes (si, vmi, virtual bases)
  D d;
  A* pa = &d;
  C* pc = &d;
  F f;
  A* pfa = &f;
  printf(
      "dynamic_cast: B %d D %d C %d D-from-C %d E %d F %d miss %d void* %d\n",
      dynamic_cast<B*>(pa) == &d, dynamic_cast<D*>(pa) == &d,
      dynamic_cast<C*>(pa) == pc, dynamic_cast<D*>(pc) == &d,
      dynamic_cast<E*>(pfa) == &f, dynamic_cast<F*>(pfa) == &f,
      dynamic_cast<C*>(pfa) == nullptr, dynamic_cast<void*>(pc) == (void*)&d);
  int status = 0;
  char* dm = abi::__cxa_demangle(
      "_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE", nullptr,
      nullptr, &status);
  printf("demangle: %d %s\n", status, dm ? dm : "(null)");
  free(dm);
  static std::string guarded = std::to_string(rng() % 1000);
  feed(guarded.size());
  printf("digest %llx\n", mix);
  return 0;
}
