package com.arservice.mind.runtime;

import com.arservice.mind.ClusterNode;
import java.util.ArrayList;
import java.util.List;

/** tinyqueue 2.0.3 transcribed on a list of entries: the oracle for {@link Matcher.Queue}. */
final class ReferenceTinyQueue {

  private record Entry(ClusterNode node, int d) {}

  private final List<Entry> data = new ArrayList<>();

  void push(ClusterNode node, int d) {
    data.add(new Entry(node, d));
    int pos = data.size() - 1;
    Entry item = data.get(pos);
    while (pos > 0) {
      int parent = (pos - 1) >> 1;
      Entry current = data.get(parent);
      if (item.d() - current.d() >= 0) {
        break;
      }
      data.set(pos, current);
      pos = parent;
    }
    data.set(pos, item);
  }

  ClusterNode pop() {
    Entry top = data.get(0);
    Entry bottom = data.remove(data.size() - 1);
    if (!data.isEmpty()) {
      data.set(0, bottom);
      int pos = 0;
      int half = data.size() >> 1;
      Entry item = data.get(0);
      while (pos < half) {
        int left = (pos << 1) + 1;
        Entry best = data.get(left);
        int right = left + 1;
        if (right < data.size() && data.get(right).d() - best.d() < 0) {
          left = right;
          best = data.get(right);
        }
        if (best.d() - item.d() >= 0) {
          break;
        }
        data.set(pos, best);
        pos = left;
      }
      data.set(pos, item);
    }
    return top.node();
  }
}
