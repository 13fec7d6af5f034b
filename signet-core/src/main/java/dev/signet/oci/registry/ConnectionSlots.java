package dev.signet.oci.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The requests one registry host may have in flight at once ({@code maxConcurrentRequests}), given
 * out earliest deadline first: when the host is the bottleneck (slow or throttling), the
 * verifications that have waited longest finish instead of every verification getting a share and
 * none finishing in time. Equal deadlines are served in arrival order.
 */
final class ConnectionSlots {
  private record Waiter(Instant deadline, long arrival, Condition turn) {}

  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(
      Comparator.comparing(Waiter::deadline).thenComparingLong(Waiter::arrival));
  private int inUse;
  private long arrivals;

  ConnectionSlots(int capacity) {
    this.capacity = capacity;
  }

  /** Takes a slot, waiting at most {@code timeout}; false when none came free in time. */
  boolean acquire(Instant deadline, Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      if (inUse < capacity && waiting.isEmpty()) {
        inUse++;
        return true;
      }
      Waiter me = new Waiter(deadline, arrivals++, lock.newCondition());
      waiting.add(me);
      try {
        long nanos = timeout.toNanos();
        while (inUse >= capacity || waiting.peek() != me) {
          if (nanos <= 0) {
            return false;
          }
          nanos = me.turn().awaitNanos(nanos);
        }
        inUse++;
        return true;
      } finally {
        waiting.remove(me);
        wakeNext();
      }
    } finally {
      lock.unlock();
    }
  }

  void release() {
    lock.lock();
    try {
      inUse--;
      wakeNext();
    } finally {
      lock.unlock();
    }
  }

  private void wakeNext() {
    Waiter next = waiting.peek();
    if (next != null && inUse < capacity) {
      next.turn().signal();
    }
  }
}
