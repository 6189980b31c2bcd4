package dev.steadfast.imaging.render;

import dev.steadfast.dicom.Dataset;
import dev.steadfast.dicom.Tag;
import dev.steadfast.dicom.VR;
import dev.steadfast.imaging.ImageDescriptor;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each LUT step against values computed by hand from the formulas of PS3.3 C.11. */
class LutStepsTest {

    @Test
    void rescaleSlopeAndIntercept() {
        Dataset ds = new Dataset().setString(Tag.RescaleSlope, VR.DS, "2").setString(Tag.RescaleIntercept, VR.DS, "-1024");
        assertThat(ModalityLut.of(ds, 0).apply(1000)).isEqualTo(976.0);
    }

    @Test
    void modalityLutSequenceClampsOutsideItsRange() {
        Dataset ds = new Dataset();
        Dataset item = ds.newSequence(Tag.ModalityLUTSequence).addItem();
        item.setInt(Tag.LUTDescriptor, VR.US, 3, 10, 16);
        item.setInt(Tag.LUTData, VR.US, 100, 200, 300);
        ModalityLut m = ModalityLut.of(ds, 0);
        assertThat(m.apply(5)).isEqualTo(100.0);
        assertThat(m.apply(11)).isEqualTo(200.0);
        assertThat(m.apply(99)).isEqualTo(300.0);
    }

    @Test
    void perFrameRescaleWinsOverSharedGroups() {
        Dataset ds = new Dataset();
        Dataset shared = ds.newSequence(Tag.SharedFunctionalGroupsSequence).addItem();
        shared.newSequence(Tag.PixelValueTransformationSequence).addItem().setString(Tag.RescaleSlope, VR.DS, "3");
        var perFrame = ds.newSequence(Tag.PerFrameFunctionalGroupsSequence);
        perFrame.addItem();
        perFrame.addItem().newSequence(Tag.PixelValueTransformationSequence).addItem()
                .setString(Tag.RescaleSlope, VR.DS, "5").setString(Tag.RescaleIntercept, VR.DS, "1");
        assertThat(ModalityLut.of(ds, 0).apply(2)).isEqualTo(6.0);
        assertThat(ModalityLut.of(ds, 1).apply(2)).isEqualTo(11.0);
    }

    @Test
    void linearWindowFollowsTheStandardFormula() {
        // c=40, w=400: below 40-0.5-199.5=-160 -> 0, above 239 -> 1, else ((x-39.5)/399+0.5)
        WindowFunction f = WindowFunction.LINEAR;
        assertThat(f.apply(-160, 40, 400)).isEqualTo(0.0);
        assertThat(f.apply(240, 40, 400)).isEqualTo(1.0);
        assertThat(f.apply(40, 40, 400)).isCloseTo((40 - 39.5) / 399 + 0.5, within(1e-12));
        assertThat(f.apply(0, 40, 400)).isCloseTo(0.40100250626, within(1e-9));
    }

    @Test
    void linearExactAndSigmoid() {
        assertThat(WindowFunction.LINEAR_EXACT.apply(40, 40, 400)).isEqualTo(0.5);
        assertThat(WindowFunction.LINEAR_EXACT.apply(-160, 40, 400)).isEqualTo(0.0);
        assertThat(WindowFunction.LINEAR_EXACT.apply(140, 40, 400)).isEqualTo(0.75);
        assertThat(WindowFunction.SIGMOID.apply(40, 40, 400)).isEqualTo(0.5);
        assertThat(WindowFunction.SIGMOID.apply(140, 40, 400)).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-12));
    }

    @Test
    void voiChoosesOverrideThenObjectWindowThenLutThenRange() {
        Dataset ds = new Dataset().setString(Tag.WindowCenter, VR.DS, "100", "50").setString(Tag.WindowWidth, VR.DS, "20", "10");
        double[] range = {0, 1000};
        assertThat(VoiLut.of(ds, 0, RenderOptions.DEFAULT.withWindow(7, 9), range).center()).isEqualTo(7.0);
        assertThat(VoiLut.of(ds, 0, RenderOptions.DEFAULT, range).center()).isEqualTo(100.0);
        assertThat(VoiLut.of(ds, 0, new RenderOptions(null, null, null, 1, 0, 0, true), range).width()).isEqualTo(10.0);
        Dataset lutOnly = new Dataset();
        Dataset item = lutOnly.newSequence(Tag.VOILUTSequence).addItem();
        item.setInt(Tag.LUTDescriptor, VR.US, 2, 0, 8);
        item.setInt(Tag.LUTData, VR.US, 0, 255);
        assertThat(VoiLut.of(lutOnly, 0, RenderOptions.DEFAULT, range).apply(1)).isEqualTo(1.0);
        VoiLut fromRange = VoiLut.of(new Dataset(), 0, RenderOptions.DEFAULT, new double[] {-100, 299});
        assertThat(fromRange.apply(-100)).isEqualTo(0.0);
        assertThat(fromRange.apply(299)).isEqualTo(1.0);
    }

    @Test
    void monochrome1IsInvertedAndPaletteMapsToRgb() {
        ImageDescriptor d = new ImageDescriptor(1, 2, 1, 8, 8, 7, false, 0, "MONOCHROME1", 1);
        Dataset ds = new Dataset().setString(Tag.WindowCenter, VR.DS, "127.5").setString(Tag.WindowWidth, VR.DS, "256");
        BufferedImage g = Renderer.grey(ds, d, new byte[] {0, (byte) 255}, 0, RenderOptions.DEFAULT, false);
        assertThat(g.getRaster().getSample(0, 0, 0)).isEqualTo(255);
        assertThat(g.getRaster().getSample(1, 0, 0)).isEqualTo(0);

        Dataset pal = new Dataset();
        for (int c = 0; c < 3; c++) {
            pal.setInt(Tag.RedPaletteColorLookupTableDescriptor + c, VR.US, 2, 0, 16);
            pal.setInt(Tag.RedPaletteColorLookupTableData + c, VR.OW, c == 0 ? 0xFFFF : 0, c == 2 ? 0x8000 : 0);
        }
        ImageDescriptor pd = new ImageDescriptor(1, 2, 1, 8, 8, 7, false, 0, "PALETTE COLOR", 1);
        BufferedImage p = Renderer.palette(pal, pd, new byte[] {0, 1});
        assertThat(p.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(p.getRGB(1, 0) & 0xFFFFFF).isEqualTo(0x000080);
    }

    @Test
    void ybrFullToRgbUsesTheJfifEquations() {
        int[] s = {128, 128, 128, 76, 85, 255};
        dev.steadfast.imaging.render.ColorSpaces.ybrFullToRgb(s);
        assertThat(s).containsExactly(128, 128, 128, 254, 0, 0);
    }
}
