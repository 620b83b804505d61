/* ThreadSanitizer helper (docs/reliability.md): GLib's GMutex, GRecMutex,
 * GRWLock and GCond on pthreads.  GLib implements them with raw futexes,
 * which ThreadSanitizer cannot see: every access they protect looks like a
 * race.  Built with -fsanitize=thread and preloaded, this makes the calls
 * from GStreamer and from the tracer (through the PLT) use pthread objects
 * TSan understands.  Calls inside libglib itself stay on futexes, but only
 * touch GLib's own locks. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <errno.h>
#include <glib.h>

static void *
lazy (gpointer * slot, size_t size, void (*init) (void *))
{
  void *p = __atomic_load_n (slot, __ATOMIC_ACQUIRE), *expected = NULL;

  if (p)
    return p;
  p = calloc (1, size);
  init (p);
  if (!__atomic_compare_exchange_n (slot, &expected, p, FALSE,
          __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
    free (p);
    p = expected;
  }
  return p;
}

static void
mutex_init (void *p)
{
  pthread_mutex_init (p, NULL);
}

static void
rec_init (void *p)
{
  pthread_mutexattr_t a;

  pthread_mutexattr_init (&a);
  pthread_mutexattr_settype (&a, PTHREAD_MUTEX_RECURSIVE);
  pthread_mutex_init (p, &a);
  pthread_mutexattr_destroy (&a);
}

static void
rw_init (void *p)
{
  pthread_rwlock_init (p, NULL);
}

static void
cond_init (void *p)
{
  pthread_condattr_t a;

  pthread_condattr_init (&a);
  pthread_condattr_setclock (&a, CLOCK_MONOTONIC);
  pthread_cond_init (p, &a);
  pthread_condattr_destroy (&a);
}

#define M(m) ((pthread_mutex_t *) lazy (&(m)->p, sizeof (pthread_mutex_t), mutex_init))
#define R(m) ((pthread_mutex_t *) lazy (&(m)->p, sizeof (pthread_mutex_t), rec_init))
#define W(l) ((pthread_rwlock_t *) lazy (&(l)->p, sizeof (pthread_rwlock_t), rw_init))
#define C(c) ((pthread_cond_t *) lazy (&(c)->p, sizeof (pthread_cond_t), cond_init))

void g_mutex_init (GMutex * m) { m->p = NULL; }
void g_mutex_clear (GMutex * m) { free (m->p); m->p = NULL; }
void g_mutex_lock (GMutex * m) { pthread_mutex_lock (M (m)); }
void g_mutex_unlock (GMutex * m) { pthread_mutex_unlock (M (m)); }
gboolean g_mutex_trylock (GMutex * m) { return pthread_mutex_trylock (M (m)) == 0; }

void g_rec_mutex_init (GRecMutex * m) { m->p = NULL; }
void g_rec_mutex_clear (GRecMutex * m) { free (m->p); m->p = NULL; }
void g_rec_mutex_lock (GRecMutex * m) { pthread_mutex_lock (R (m)); }
void g_rec_mutex_unlock (GRecMutex * m) { pthread_mutex_unlock (R (m)); }
gboolean g_rec_mutex_trylock (GRecMutex * m) { return pthread_mutex_trylock (R (m)) == 0; }

void g_rw_lock_init (GRWLock * l) { l->p = NULL; }
void g_rw_lock_clear (GRWLock * l) { free (l->p); l->p = NULL; }
void g_rw_lock_writer_lock (GRWLock * l) { pthread_rwlock_wrlock (W (l)); }
gboolean g_rw_lock_writer_trylock (GRWLock * l) { return pthread_rwlock_trywrlock (W (l)) == 0; }
void g_rw_lock_writer_unlock (GRWLock * l) { pthread_rwlock_unlock (W (l)); }
void g_rw_lock_reader_lock (GRWLock * l) { pthread_rwlock_rdlock (W (l)); }
gboolean g_rw_lock_reader_trylock (GRWLock * l) { return pthread_rwlock_tryrdlock (W (l)) == 0; }
void g_rw_lock_reader_unlock (GRWLock * l) { pthread_rwlock_unlock (W (l)); }

void g_cond_init (GCond * c) { c->p = NULL; }
void g_cond_clear (GCond * c) { free (c->p); c->p = NULL; }
void g_cond_wait (GCond * c, GMutex * m) { pthread_cond_wait (C (c), M (m)); }
void g_cond_signal (GCond * c) { pthread_cond_signal (C (c)); }
void g_cond_broadcast (GCond * c) { pthread_cond_broadcast (C (c)); }

gboolean
g_cond_wait_until (GCond * c, GMutex * m, gint64 end_time)
{
  struct timespec ts = { end_time / G_USEC_PER_SEC,
    (end_time % G_USEC_PER_SEC) * 1000 };

  return pthread_cond_timedwait (C (c), M (m), &ts) == 0;
}
