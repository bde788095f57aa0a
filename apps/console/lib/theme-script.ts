export const THEME_STORAGE_KEY = "gatehouse-theme";

/** Runs in <head> before the first paint, so a pinned theme never flashes. */
export const themeBootScript = `try{var t=localStorage.getItem("${THEME_STORAGE_KEY}");if(t==="light"||t==="dark")document.documentElement.dataset.theme=t}catch(e){}`;
