import { useCallback, useEffect, useState, type RefObject } from 'react';

export type ScrollPaging = { canUp: boolean; canDown: boolean; pageUp: () => void; pageDown: () => void };

/**
 * "上一页 / 下一页" for a scroll area: long guide pages can be read without a swipe, which not every
 * resident knows to do on a kiosk. Tracks whether there is more above or below as content and size
 * change.
 */
export function useScrollPaging(ref: RefObject<HTMLElement | null>): ScrollPaging {
  const [state, setState] = useState({ canUp: false, canDown: false });

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => {
      const canUp = el.scrollTop > 4;
      const canDown = el.scrollTop + el.clientHeight < el.scrollHeight - 4;
      setState((s) => (s.canUp === canUp && s.canDown === canDown ? s : { canUp, canDown }));
    };
    update();
    el.addEventListener('scroll', update, { passive: true });
    const resize = new ResizeObserver(update);
    resize.observe(el);
    // Content changes (data arriving, a new screen) change the scroll height without resizing el.
    const mutation = new MutationObserver(update);
    mutation.observe(el, { childList: true, subtree: true, characterData: true });
    return () => {
      el.removeEventListener('scroll', update);
      resize.disconnect();
      mutation.disconnect();
    };
  }, [ref]);

  const page = useCallback(
    (direction: 1 | -1) => {
      const el = ref.current;
      if (el) el.scrollBy({ top: direction * Math.round(el.clientHeight * 0.8), behavior: 'smooth' });
    },
    [ref],
  );
  return { ...state, pageUp: () => page(-1), pageDown: () => page(1) };
}
