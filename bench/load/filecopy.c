/* The physical limit for bench/load/run.sh: the same object operations as plain file I/O on the
 * same disk, with no HTTP, no metadata and no checksums.
 *   put: write SIZE bytes to a temp file, fsync, close, rename into place (the least a durable
 *        store must do to acknowledge a write that can never be seen half-written)
 *   get: open, read SIZE bytes, close
 * Usage: filecopy put|get DIR SIZE CONCURRENCY SECONDS
 * Prints one line: op size concurrency ops ops_per_s MiB_per_s p50_ms p90_ms p99_ms
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 2000000
#define MAX_KEYS_PER_WORKER 16
#define KEY_BUDGET (1L << 30) /* bytes of objects a run may leave on disk */

static const char *dir;
static size_t size;
static long keys_per_worker;
static int put;
static double seconds;
static double *samples;
static long sample_count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) { perror(what); exit(1); }

static void put_object(const char *path, const char *tmp, const char *buf) {
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    for (size_t done = 0; done < size;) {
        ssize_t n = write(fd, buf + done, size - done);
        if (n <= 0) die("write");
        done += (size_t)n;
    }
    if (fsync(fd) != 0) die("fsync");
    close(fd);
    if (rename(tmp, path) != 0) die("rename");
}

static void get_object(const char *path, char *buf) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) die("open");
    for (size_t done = 0; done < size;) {
        ssize_t n = read(fd, buf + done, size - done);
        if (n <= 0) die("read");
        done += (size_t)n;
    }
    close(fd);
}

static void *worker(void *arg) {
    long id = (long)arg;
    char *buf = malloc(size);
    if (!buf) die("malloc");
    memset(buf, (int)id + 1, size);
    char path[4096], tmp[4096];
    double end = now() + seconds;
    for (long i = 0; now() < end; i++) {
        snprintf(path, sizeof path, "%s/obj-%ld-%ld", dir, id, i % keys_per_worker);
        snprintf(tmp, sizeof tmp, "%s/.tmp-%ld", dir, id);
        double start = now();
        if (put) put_object(path, tmp, buf); else get_object(path, buf);
        double elapsed = now() - start;
        pthread_mutex_lock(&lock);
        if (sample_count < MAX_SAMPLES) samples[sample_count++] = elapsed;
        pthread_mutex_unlock(&lock);
    }
    free(buf);
    return NULL;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: %s put|get DIR SIZE CONCURRENCY SECONDS\n", argv[0]); return 2; }
    put = strcmp(argv[1], "put") == 0;
    dir = argv[2];
    size = strtoull(argv[3], NULL, 10);
    int concurrency = atoi(argv[4]);
    seconds = atof(argv[5]);
    samples = malloc(sizeof(double) * MAX_SAMPLES);
    keys_per_worker = KEY_BUDGET / ((long)size * concurrency);
    if (keys_per_worker < 1) keys_per_worker = 1;
    if (keys_per_worker > MAX_KEYS_PER_WORKER) keys_per_worker = MAX_KEYS_PER_WORKER;
    if (!put) {
        /* get reads what a put of the same shape left behind: create it first. */
        char *buf = calloc(1, size);
        char path[4096], tmp[4096];
        for (long id = 0; id < concurrency; id++)
            for (long k = 0; k < keys_per_worker; k++) {
                snprintf(path, sizeof path, "%s/obj-%ld-%ld", dir, id, k);
                snprintf(tmp, sizeof tmp, "%s/.tmp-%ld", dir, id);
                put_object(path, tmp, buf);
            }
        free(buf);
    }
    pthread_t threads[1024];
    double start = now();
    for (long i = 0; i < concurrency; i++) pthread_create(&threads[i], NULL, worker, (void *)i);
    for (int i = 0; i < concurrency; i++) pthread_join(threads[i], NULL);
    double elapsed = now() - start;
    qsort(samples, (size_t)sample_count, sizeof(double), compare);
#define PCT(p) (sample_count ? samples[(long)((p) * (sample_count - 1))] * 1000 : 0)
    printf("%s %zu %d %ld %.1f %.1f %.3f %.3f %.3f\n", argv[1], size, concurrency, sample_count,
           sample_count / elapsed, sample_count * (double)size / elapsed / 1048576.0, PCT(0.50), PCT(0.90), PCT(0.99));
    return 0;
}
