import { useEffect } from 'react';
import { setState, useProjector, type Theme } from '../state/store';

const KEY = 'projector-theme';

/** The saved choice, else the system's preference. */
export function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * Night mode: the page's colours switch through CSS variables; the 3D canvas is transparent, so
 * the view's background follows the theme without touching the scene.
 */
export function ThemeToggle({ persist }: { persist: boolean }) {
  const theme = useProjector((s) => s.theme);
  const setTheme = (t: Theme) => setState({ theme: t });
  useEffect(() => {
    if (!persist) return;
    // The page around the app (its background while loading) follows too.
    document.documentElement.dataset.theme = theme;
    localStorage.setItem(KEY, theme);
  }, [theme, persist]);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="theme-toggle" data-testid="theme-toggle" aria-pressed={theme === 'dark'} onClick={() => setTheme(next)}>
      {theme === 'dark' ? 'Day mode' : 'Night mode'}
    </button>
  );
}
