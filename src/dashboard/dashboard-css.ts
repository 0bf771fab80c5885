let css: string | undefined;
let loading: Promise<void> | undefined;

/**
 * The dashboard's stylesheet (public/dashboard.css), inlined into every page as before (the CSP
 * admits inline styles, no request for a stylesheet), but kept out of the bundle: loaded from the
 * static assets once per isolate by the dashboard's first middleware. A failed load is tried again.
 */
export async function loadDashboardCss(assets: Fetcher): Promise<void> {
  if (css !== undefined) return;
  loading ??= assets
    .fetch("https://assets.invalid/dashboard.css")
    .then(async (res) => {
      if (!res.ok) throw new Error(`loading the dashboard's stylesheet: HTTP ${res.status}`);
      css = await res.text();
    })
    .finally(() => {
      loading = undefined;
    });
  await loading;
}

/** The stylesheet, once loadDashboardCss has run. */
export const dashboardCss = (): string => css ?? "";
