import type { AppContext } from '../app-context';
import { GatewayError } from '../errors/catalogue';
import { CatalogStore } from './catalog-store';
import { DownloadJobs } from './download-jobs';
import { WeightsProbe } from './weights-probe';

/** The catalog's per-gateway machinery: the live store, the disk probe and the download jobs. */
export interface CatalogServices {
  store: CatalogStore;
  weights: WeightsProbe;
  downloads: DownloadJobs;
}

const byApp = new WeakMap<AppContext, CatalogServices>();

export function catalogServices(app: AppContext): CatalogServices {
  let services = byApp.get(app);
  if (!services) {
    if (!(app.catalog instanceof CatalogStore)) {
      throw new GatewayError('internal_error', {
        detail: 'the catalog was not opened with its overrides store',
      });
    }
    const weights = new WeightsProbe(app);
    services = { store: app.catalog, weights, downloads: new DownloadJobs(app, weights) };
    byApp.set(app, services);
  }
  return services;
}
